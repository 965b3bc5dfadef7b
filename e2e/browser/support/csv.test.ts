import { describe, expect, it } from 'vitest';
import { csvObjects, parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it.each([
    { input: 'a,b\n1,2\n', want: [['a', 'b'], ['1', '2']] },
    { input: 'a,b\r\n1,\r\n', want: [['a', 'b'], ['1', '']] },
    { input: 'a\n"x, y"', want: [['a'], ['x, y']] },
    { input: '"say ""hi""","two\nlines"\n', want: [['say "hi"', 'two\nlines']] },
    { input: "'=1+1,b\n", want: [["'=1+1", 'b']] },
  ])('$input', ({ input, want }) => {
    expect(parseCsv(input)).toEqual(want);
  });

  it('keys the rows by the header', () => {
    expect(csvObjects('id,reason\nv1,"missing: a, b"\n')).toEqual([{ id: 'v1', reason: 'missing: a, b' }]);
  });
});
