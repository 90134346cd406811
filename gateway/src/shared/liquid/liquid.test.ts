import assert from 'node:assert/strict';
import { compileLiquid, compileTemplateValue, HeadersDrop, LiquidRenderError, mergeScopes, renderLiquid } from './index.js';

const scope = {
  uri: '/v1.0/items',
  host: 'api.example.com',
  headers: new HeadersDrop({ 'X-Api-Key': 'k1', Accept: ['text/html', 'application/json'] }),
  service: { id: '42' },
  jwt: { sub: 'alice', realm_access: { roles: ['admin'] } },
};

describe('shared/liquid', () => {
  describe('syntax subset', () => {
    it('renders variables, dotted, bracketed and 0-based index access', () => {
      assert.equal(renderLiquid("{{ service.id }}/{{ jwt['sub'] }}/{{ jwt.realm_access.roles[0] }}", scope), '42/alice/admin');
    });
    it('renders undefined variables as the empty string', () => {
      assert.equal(renderLiquid('[{{ nope }}][{{ jwt.nope.deeper }}]', scope), '[][]');
    });
    it('supports if/elsif/else, unless, case/when, assign, capture, increment, comment, raw', () => {
      const t =
        "{% if uri contains 'v1' %}a{% elsif x %}b{% else %}c{% endif %}" +
        "{% unless jwt.sub == 'bob' %}U{% endunless %}" +
        "{% case host %}{% when 'api.example.com' %}H{% else %}?{% endcase %}" +
        '{% assign who = jwt.sub | upcase %}{{ who }}' +
        '{% capture c %}[{{ service.id }}]{% endcapture %}{{ c }}' +
        '{% increment n %}{% increment n %}' +
        '{% comment %}hidden{% endcomment %}{% raw %}{{ kept }}{% endraw %}';
      assert.equal(renderLiquid(t, scope), 'aUHALICE[42]01{{ kept }}');
    });
    it('supports whitespace control', () => {
      assert.equal(renderLiquid('a  {{- service.id -}}  b', scope), 'a42b');
    });
    it('compares with and/or and the literals nil/empty/true/false', () => {
      assert.equal(renderLiquid('{% if nope == nil and jwt.sub != empty or false %}y{% else %}n{% endif %}', scope), 'y');
    });
    it('fails at render time on loops (iteration limit 0) with a LiquidRenderError', () => {
      const t = compileLiquid('{% for r in jwt.realm_access.roles %}{{ r }}{% endfor %}');
      assert.equal(t.valid, true);
      assert.throws(() => t.render(scope), LiquidRenderError);
      assert.throws(() => renderLiquid("{% cycle 'a', 'b' %}", scope), LiquidRenderError);
    });
    it('refuses to print a table value but prints it through | json', () => {
      assert.throws(() => renderLiquid('{{ jwt }}', scope), /table/);
      assert.equal(renderLiquid('{{ jwt.realm_access | json }}', scope), '{"roles":["admin"]}');
    });
    it('treats invalid Liquid as empty and reports it once at compile time', () => {
      const reported: string[] = [];
      const t = compileLiquid('{{ uri | default: "x" }}', (m) => reported.push(m));
      assert.equal(t.valid, false);
      assert.equal(t.render(scope), '');
      assert.equal(reported.length, 1);
      assert.match(reported[0], /^Invalid Liquid: \{\{ uri \| default: "x" \}\}/);
      assert.equal(compileLiquid("{% include 'x' %}").valid, false);
      assert.equal(compileLiquid('{% if %}').valid, false);
    });
  });

  describe('headers', () => {
    it('looks headers up case-insensitively with _ meaning -', () => {
      assert.equal(renderLiquid("{{ headers.x_api_key }}|{{ headers['X-API-KEY'] }}|{{ headers['x-api-key'] }}", scope), 'k1|k1|k1');
    });
    it('exposes repeated headers as arrays', () => {
      assert.equal(renderLiquid('{{ headers.accept | join: "," }}|{{ headers.accept | size }}', scope), 'text/html,application/json|2');
    });
  });

  describe('filters with liquid-lua semantics (quirks kept)', () => {
    it('replace/remove use Lua patterns: . is any character, %d a digit', () => {
      assert.equal(renderLiquid("{{ 'a.b' | replace: '.', '-' }}", scope), '---');
      assert.equal(renderLiquid("{{ 'a.b' | replace: '%.', '-' }}", scope), 'a-b');
      assert.equal(renderLiquid("{{ 'v12/x3' | remove: '%d+' }}", scope), 'v/x');
      assert.equal(renderLiquid("{{ 'aaa' | replace_first: 'a', 'b' }}", scope), 'baa');
      assert.equal(renderLiquid("{{ 'key=val' | replace: '(%w+)=(%w+)', '%2=%1' }}", scope), 'val=key');
      assert.equal(renderLiquid("{{ '/v1beta1/x' | replace: 'v1beta1', 'v1' }}", scope), '/v1/x');
    });
    it('slice takes a 0-based start and an inclusive end index', () => {
      assert.equal(renderLiquid("{{ 'hello' | slice: 1, 3 }}", scope), 'ell');
    });
    it('divided_by is a float division and /0 is a rendering error', () => {
      assert.equal(renderLiquid('{{ 10 | divided_by: 4 }}', scope), '2.5');
      assert.throws(() => renderLiquid('{{ 1 | divided_by: 0 }}', scope), LiquidRenderError);
    });
    it('url_encode is form style, url_decode only decodes %XX, escape_uri/unescape_uri are ngx style', () => {
      assert.equal(renderLiquid("{{ 'a b/c' | url_encode }}|{{ 'a+b%20c' | url_decode }}", scope), 'a+b%2Fc|a+b c');
      assert.equal(renderLiquid("{{ 'a b/c' | escape_uri }}|{{ 'a+b%2Fc' | unescape_uri }}", scope), 'a%20b%2Fc|a b/c');
    });
    it('array filters: index, map (joined), first, last, size, join, sort, uniq, reverse, concat', () => {
      const s = { list: [{ n: 'b' }, { n: 'a' }], words: ['z', 'x', 'z'] };
      assert.equal(
        renderLiquid("{{ words | index: 1 }}|{{ list | map: 'n' }}|{{ words | first }}{{ words | last }}|{{ words | size }}", s),
        'x|ba|zz|3',
      );
      assert.equal(
        renderLiquid("{{ words | sort | uniq | join: '-' }}|{{ words | reverse | join: '' }}|{{ words | concat: words | size }}", s),
        'x-z|zxz|6',
      );
    });
    it('string and math filters', () => {
      assert.equal(renderLiquid("{{ ' Ab ' | strip | downcase | append: '!' | prepend: '<' | capitalize }}", scope), '<ab!');
      assert.equal(
        renderLiquid("{{ '<a>' | escape }}|{{ 'abc' | str_reverse }}|{{ 'a,b' | split: ',' | last }}", scope),
        '&lt;a&gt;|cba|b',
      );
      assert.equal(
        renderLiquid(
          '{{ -3 | abs | plus: 2 | times: 3 | minus: 1 | modulo: 5 }}|{{ 2.6 | floor }}{{ 2.1 | ceil }}|{{ 3.14159 | round: 2 }}',
          scope,
        ),
        '4|23|3.14',
      );
    });
    it('default, date and truncate are not available', () => {
      for (const f of ['default: 1', "date: '%Y'", 'truncate: 2']) {
        assert.equal(compileLiquid(`{{ 'x' | ${f} }}`).valid, false, f);
      }
    });
    it('gateway filters: hashes, base64, crc32, quote_sql_str', () => {
      assert.equal(renderLiquid("{{ 'abc' | md5 }}", scope), '900150983cd24fb0d6963f7d28e17f72');
      assert.equal(
        renderLiquid("{{ 'abc' | md5_bin | encode_base64 }}", scope),
        Buffer.from('900150983cd24fb0d6963f7d28e17f72', 'hex').toString('base64'),
      );
      assert.equal(renderLiquid("{{ 'abc' | sha1_bin | encode_base64 }}", scope), 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
      assert.equal(renderLiquid("{{ 'aGk=' | decode_base64 }}|{{ 'hi' | encode_base64 }}", scope), 'hi|aGk=');
      assert.equal(renderLiquid("{{ 'The quick brown fox jumps over the lazy dog' | crc32_long }}", scope), String(0x414fa339));
      assert.equal(renderLiquid('{{ "it\'s" | quote_sql_str }}', scope), "'it\\'s'");
    });
    it('hmac_sha1 uses the piped value as the key and the argument as the message (quirk)', () => {
      // RFC 2202 test case 2: key "Jefe", data "what do ya want for nothing?".
      assert.equal(
        renderLiquid("{{ 'Jefe' | hmac_sha1: 'what do ya want for nothing?' | encode_base64 }}", scope),
        Buffer.from('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', 'hex').toString('base64'),
      );
    });
    it('time filters: zero-argument ones ignore the piped value; http/cookie time formats', () => {
      const before = Math.floor(Date.now() / 1000);
      const time = Number(renderLiquid("{{ 'ignored' | time }}", scope));
      assert.ok(time >= before && time <= before + 2);
      assert.match(renderLiquid("{{ '' | now }}", scope), /^\d+(\.\d+)?$/);
      assert.match(renderLiquid("{{ '' | today }}", scope), /^\d{4}-\d{2}-\d{2}$/);
      assert.match(
        renderLiquid("{{ '' | utctime }}|{{ '' | localtime }}", scope),
        /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
      );
      assert.equal(renderLiquid('{{ 1290079655 | http_time }}', scope), 'Thu, 18 Nov 2010 11:27:35 GMT');
      assert.equal(renderLiquid('{{ 1290079655 | cookie_time }}', scope), 'Thu, 18-Nov-10 11:27:35 GMT');
      assert.equal(renderLiquid("{{ 'Thu, 18 Nov 2010 11:27:35 GMT' | parse_http_time }}", scope), '1290079655');
    });
  });

  describe('template values (§4.1)', () => {
    it('plain is verbatim (even with braces), liquid is rendered, plain is the default', () => {
      assert.equal(compileTemplateValue('{{ uri }}', 'plain').render(scope), '{{ uri }}');
      assert.equal(compileTemplateValue('{{ uri }}', undefined).render(scope), '{{ uri }}');
      assert.equal(compileTemplateValue('{{ uri }}', 'liquid').render(scope), '/v1.0/items');
      assert.equal(compileTemplateValue('{{ uri }}', 'liquid').constant, false);
    });
    it('mergeScopes: the first layer defining a key wins', () => {
      assert.deepEqual(mergeScopes({ a: 1 }, { a: 2, b: 3 }, undefined, { c: 4 }), { a: 1, b: 3, c: 4 });
    });
    it('assign inside a template does not leak into the caller scope', () => {
      const s: Record<string, unknown> = { a: '1' };
      assert.equal(renderLiquid("{% assign a = '2' %}{{ a }}", s), '2');
      assert.equal(s['a'], '1');
    });
  });
});
