import { analyzeRule } from '@betrace/dsl';
import { toCodeMirror } from './editor-extensions';
import { lintRule } from './lint';

describe('lintRule', () => {
  test('a rule that checks has no diagnostics', () => {
    expect(lintRule('when { p: payment.charge } always { fraud.check before p }')).toEqual([]);
  });

  test('diagnostics keep the server’s code, exact range, message and hint', () => {
    const text = 'when { p: payment.charge }\nalways { fraud.check.where(order == q.order) before p }';
    const server = analyzeRule(text).diagnostics;
    const got = lintRule(text);
    expect(server.length).toBeGreaterThan(0);
    expect(got.map((d) => [d.code, d.from, d.to, d.message, d.hint])).toEqual(server.map((d) => [d.code, d.range.start, d.range.end, d.message, d.hint]));
    const unknown = got.find((d) => d.code === 'unknown_label');
    expect(text.slice(unknown?.from, unknown?.to)).toBe('q.order');
    expect(unknown).toMatchObject({ severity: 'error', line: 2, column: 37 });
    expect(unknown?.hint).toMatch(/declare it in when/);
  });

  test('an empty range is widened so the squiggle shows; never beyond the text', () => {
    for (const text of ['when { a } always { b', 'never {', 'when { a.where(x ==']) {
      for (const d of lintRule(text)) {
        expect(d.to).toBeLessThanOrEqual(text.length);
        expect(d.from).toBeLessThanOrEqual(d.to);
        if (d.from < text.length) {
          expect(d.to).toBeGreaterThan(d.from);
        }
      }
    }
  });

  test('the editor tooltip shows the code, the message and the hint', () => {
    const d = lintRule('never { a.where(span.duration > 5) }').find((x) => x.hint !== undefined);
    expect(d).toBeDefined();
    const cm = toCodeMirror(d!);
    const box = cm.renderMessage?.({} as never) as HTMLElement;
    expect(box.textContent).toContain(d!.code);
    expect(box.textContent).toContain(d!.message);
    expect(box.textContent).toContain(`hint: ${d!.hint}`);
  });
});
