import assert from 'node:assert/strict';
import { anyRangeContains, parseIpv4, parseIpv4Range } from './ipv4-ranges.js';
import { clientIp, firstForwardedFor } from './client-ip.js';

describe('ip_check address ranges and client IP sources (policies.md §5.15)', () => {
  it('parses addresses, rejecting non-IPv4 text', () => {
    assert.equal(parseIpv4('10.0.0.1'), 0x0a000001);
    assert.equal(parseIpv4('::ffff:127.0.0.1'), 0x7f000001);
    for (const bad of ['256.0.0.1', '1.2.3', 'a.b.c.d', '::1', '1.2.3.4.5']) assert.equal(parseIpv4(bad), undefined, bad);
  });

  it('ignores the host bits of a CIDR', () => {
    const ranges = [parseIpv4Range('1.1.1.0/4')!];
    assert.equal(anyRangeContains(ranges, '0.0.0.0'), true);
    assert.equal(anyRangeContains(ranges, '15.255.255.255'), true);
    assert.equal(anyRangeContains(ranges, '16.0.0.0'), false);
  });

  it('treats a plain address as /32 and /0 as everything', () => {
    assert.equal(anyRangeContains([parseIpv4Range('10.1.2.3')!], '10.1.2.3'), true);
    assert.equal(anyRangeContains([parseIpv4Range('10.1.2.3')!], '10.1.2.4'), false);
    assert.equal(anyRangeContains([parseIpv4Range('0.0.0.0/0')!], '203.0.113.9'), true);
  });

  it('rejects malformed ranges', () => {
    for (const bad of ['1.2.3.4/33', '1.2.3.4/', '1.2.3.4/8/1', 'host']) assert.equal(parseIpv4Range(bad), undefined, bad);
  });

  it('takes the first X-Forwarded-For element without its port', () => {
    assert.equal(firstForwardedFor(' 1.2.3.4:5678 , 5.6.7.8'), '1.2.3.4');
    assert.equal(firstForwardedFor('9.9.9.9'), '9.9.9.9');
  });

  it('uses the first source that yields a value', () => {
    const inputs = { forwardedFor: undefined, realIp: '2.2.2.2', proxyProtocolAddress: undefined, peerAddress: '127.0.0.1' };
    assert.equal(clientIp(['X-Forwarded-For', 'X-Real-IP', 'last_caller'], inputs), '2.2.2.2');
    assert.equal(clientIp(['X-Forwarded-For'], inputs), undefined);
    assert.equal(clientIp(['last_caller'], inputs), '127.0.0.1');
  });
});
