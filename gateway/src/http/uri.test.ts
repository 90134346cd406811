import assert from 'node:assert/strict';
import { escapeUri, normalizePath, splitTarget } from './uri.js';
import { upstreamTarget, joinPaths } from '../upstream/target.js';
import { parseUpstream, upstreamHostHeader } from '../upstream/upstream.js';

describe('request target handling (gateway.md §4.4, §4.9)', () => {
  it('normalizes the path like nginx $uri', () => {
    assert.equal(normalizePath('/a//b/./c/../d'), '/a/b/d');
    assert.equal(normalizePath('/foo%20/bar'), '/foo /bar');
    // A relative target is made absolute before its dot segments are removed (found by the fuzz test: "./").
    assert.equal(normalizePath('./'), '/');
    assert.equal(normalizePath('../a/./b'), '/a/b');
    assert.equal(normalizePath(''), '/');
  });

  it('escapes controls, space, #, %, ? and non-ASCII', () => {
    assert.equal(escapeUri('/foo /bar'), '/foo%20/bar');
    assert.equal(escapeUri('/a#b?c%d'), '/a%23b%3Fc%25d');
    assert.equal(escapeUri('/é'), '/%C3%A9');
    assert.equal(escapeUri('/plain-path_1.json'), '/plain-path_1.json');
  });

  it('splits origin-form and absolute-form targets', () => {
    assert.deepEqual(splitTarget('/a?b=1'), { path: '/a', query: 'b=1' });
    assert.deepEqual(splitTarget('http://h:1/x?y'), { path: '/x', query: 'y' });
  });

  it('joins upstream path and request path with one slash', () => {
    assert.equal(joinPaths('/api', '/foo'), '/api/foo');
    assert.equal(joinPaths('/api/', '/foo'), '/api/foo');
    assert.equal(joinPaths('/', '/foo'), '/foo');
    assert.equal(joinPaths('/one/', '/'), '/one/');
  });

  it('builds the upstream target: prefix, re-escaped path, query kept or replaced', () => {
    const input = (rawTarget: string, rewritten = false) => {
      const { path, query } = splitTarget(rawTarget);
      return { rawTarget, path: normalizePath(path), query, rewritten };
    };
    assert.equal(upstreamTarget(parseUpstream('http://u/api/'), input('/foo%20/bar/')), '/api/foo%20/bar/');
    assert.equal(upstreamTarget(parseUpstream('http://u/api/'), input('/x?b=2&user_key=k&b=3')), '/api/x?b=2&user_key=k&b=3');
    assert.equal(upstreamTarget(parseUpstream('http://u/api?fixed=1'), input('/x?b=2')), '/api/x?fixed=1');
    assert.equal(upstreamTarget(parseUpstream('http://u:8080'), input('/a//b/../c?q=%41')), '/a//b/../c?q=%41');
    assert.equal(upstreamTarget(parseUpstream('http://u:8080'), input('/a//b/../c?q=%41', true)), '/a/c?q=%41');
    assert.equal(upstreamTarget(parseUpstream('http://u/one/'), input('/')), '/one/');
  });

  it('sends Host as hostname_rewrite or host[:non-default port]; ws/wss map to http/https', () => {
    assert.equal(upstreamHostHeader(parseUpstream('http://u:80/')), 'u');
    assert.equal(upstreamHostHeader(parseUpstream('https://u:8443/')), 'u:8443');
    assert.equal(upstreamHostHeader(parseUpstream('http://u/', { hostHeader: 'x.example' })), 'x.example');
    assert.equal(parseUpstream('wss://u/').scheme, 'https');
    assert.throws(() => parseUpstream('ftp://u/'), /scheme/);
  });
});
