import { expect, test } from 'vitest';
import { csvCell } from './csv.ts';

test.each([
  { input: 'plain', want: 'plain' },
  { input: 'a,b', want: '"a,b"' },
  { input: 'say "hi"', want: '"say ""hi"""' },
  { input: 'two\nlines', want: '"two\nlines"' },
  { input: '=1+1', want: "'=1+1" },
  { input: '+cmd', want: "'+cmd" },
  { input: '-2', want: "'-2" },
  { input: '@SUM(A1)', want: "'@SUM(A1)" },
  { input: '\tx', want: "'\tx" },
  { input: '=A1,"x"', want: `"'=A1,""x"""` },
  { input: ' padded ', want: '" padded "' },
  { input: 42, want: '42' },
  { input: null, want: '' },
])('csvCell($input) = $want', ({ input, want }) => {
  expect(csvCell(input)).toBe(want);
});
