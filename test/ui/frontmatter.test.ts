import { describe, expect, it } from 'vitest';
import { FrontMatterError, parseYaml, splitFrontMatter } from '../../src/ui/lessons/frontmatter';
import { confService, moduleName, parseLessonReadme } from '../../src/ui/lessons/format';

describe('front matter (YAML subset)', () => {
  it('parses strings, lists, nested maps and lists of maps', () => {
    const { data, body } = splitFrontMatter(`---
title: Pin the compute RPC version   # a comment
goal: "Shelve-offload vm1: no UnsupportedVersion"
hints:
  - Look at \`[upgrade_levels]\`.
  - 'It''s the api that sends.'
files:
  - conf/api.conf
  - path: nova/compute/rpcapi.ts
    services: [api, conductor]
    readonly: false
meta:
  level: 2
  tags: [rpc, "caps, pins"]
  nested:
    deep: yes
---
# Body

text
`);
    expect(data).toEqual({
      title: 'Pin the compute RPC version',
      goal: 'Shelve-offload vm1: no UnsupportedVersion',
      hints: ['Look at `[upgrade_levels]`.', "It's the api that sends."],
      files: ['conf/api.conf', { path: 'nova/compute/rpcapi.ts', services: ['api', 'conductor'], readonly: false }],
      meta: { level: 2, tags: ['rpc', 'caps, pins'], nested: { deep: 'yes' } },
    });
    expect(body).toBe('# Body\n\ntext\n');
  });

  it('supports block scalars and flow maps', () => {
    expect(parseYaml('a: |\n  line 1\n  line 2\nb: >\n  folded\n  text\nc: {x: 1, y: "z"}\n')).toEqual({ a: 'line 1\nline 2\n', b: 'folded text\n', c: { x: 1, y: 'z' } });
  });

  it('lists at the same indent as their key, and null values', () => {
    expect(parseYaml('hints:\n- one\n- two\nempty:\n')).toEqual({ hints: ['one', 'two'], empty: null });
  });

  it('keeps versions that are not plain numbers as strings', () => {
    expect(parseYaml('a: 1.2.3\nb: "3.40"\nc: juno')).toEqual({ a: '1.2.3', b: '3.40', c: 'juno' });
  });

  it('reports errors with a line number', () => {
    expect(() => parseYaml('a: 1\n  b: 2')).toThrow(FrontMatterError);
    expect(() => parseYaml('a: [1, 2')).toThrow(/line 1/);
    expect(() => parseYaml('a: 1\na: 2')).toThrow(/duplicate key/);
  });

  it('no front matter: the whole text is the body', () => {
    expect(splitFrontMatter('# Hi\n')).toEqual({ data: {}, body: '# Hi\n' });
  });
});

describe('lesson README', () => {
  it('reads slug, order, files and hints', () => {
    const l = parseLessonReadme('03-pin-compute', '---\ntitle: T\ngoal: G\nhints: [a, b]\nfiles:\n  - conf/api.conf\n  - nova/compute/rpcapi.ts\n---\nBody');
    expect(l).toMatchObject({ slug: 'pin-compute', order: 3, title: 'T', goal: 'G', hints: ['a', 'b'], body: 'Body', sample: false });
    expect(l.files.map((f) => f.language)).toEqual(['ini', 'typescript']);
    expect(moduleName('nova/compute/rpcapi.ts')).toBe('nova/compute/rpcapi');
    expect(confService('conf/api.conf')).toBe('api');
  });

  it('keeps a broken lesson listed with its error', () => {
    const l = parseLessonReadme('00-sample-x', '---\ntitle: [oops\n---\n');
    expect(l.sample).toBe(true);
    expect(l.error).toMatch(/line 1/);
  });
});
