import { RangeSetBuilder, type Extension } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import type { GrafanaTheme2 } from '@grafana/data';
import { highlightRule, type TokenClass } from './highlight';
import { lintRule, type EditorDiagnostic } from './lint';

const marks = new Map<TokenClass, Decoration>();
function mark(cls: TokenClass): Decoration {
  let m = marks.get(cls);
  if (m === undefined) {
    m = Decoration.mark({ class: `bt-tok-${cls}` });
    marks.set(cls, m);
  }
  return m;
}

function decorate(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const span of highlightRule(view.state.doc.toString())) {
    if (span.to > span.from) {
      builder.add(span.from, span.to, mark(span.cls));
    }
  }
  return builder.finish();
}

/** Colours BeTraceDSL with the dsl package's lexer (rules are short: re-lexing per change is cheap). */
export const betraceHighlighting: Extension = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view);
    }
    update(update: ViewUpdate) {
      if (update.docChanged) {
        this.decorations = decorate(update.view);
      }
    }
  },
  { decorations: (v) => v.decorations }
);

/** CodeMirror's diagnostic for one of ours; the tooltip shows code, message and hint. */
export function toCodeMirror(d: EditorDiagnostic): Diagnostic {
  return {
    from: d.from,
    to: d.to,
    severity: d.severity,
    source: d.code,
    message: d.hint ? `${d.message} — hint: ${d.hint}` : d.message,
    renderMessage: () => {
      const box = document.createElement('div');
      const head = document.createElement('div');
      head.textContent = `${d.code}: ${d.message}`;
      box.appendChild(head);
      if (d.hint) {
        const hint = document.createElement('div');
        hint.className = 'bt-hint';
        hint.textContent = `hint: ${d.hint}`;
        box.appendChild(hint);
      }
      return box;
    },
  };
}

/** Live diagnostics from `analyzeRule`; `onDiagnostics` feeds the list under the editor. */
export function betraceLinter(onDiagnostics?: (d: EditorDiagnostic[]) => void): Extension {
  return [
    linter(
      (view) => {
        const found = lintRule(view.state.doc.toString());
        onDiagnostics?.(found);
        return found.map(toCodeMirror);
      },
      { delay: 250 }
    ),
    lintGutter(),
  ];
}

/** Editor colours from the Grafana theme, so dark and light both read well. */
export function betraceTheme(theme: GrafanaTheme2): Extension {
  const c = theme.colors;
  const v = theme.visualization;
  return EditorView.theme(
    {
      '&': { backgroundColor: c.background.canvas, color: c.text.primary, border: `1px solid ${c.border.medium}`, borderRadius: theme.shape.radius.default },
      '&.cm-focused': { outline: `2px solid ${c.primary.border}` },
      '.cm-content': { fontFamily: theme.typography.fontFamilyMonospace, fontSize: '13px', caretColor: c.text.primary },
      '.cm-gutters': { backgroundColor: c.background.secondary, color: c.text.secondary, border: 'none' },
      '.cm-activeLine': { backgroundColor: c.action.hover },
      '.cm-activeLineGutter': { backgroundColor: c.action.hover },
      '.cm-tooltip': { backgroundColor: c.background.primary, border: `1px solid ${c.border.medium}`, color: c.text.primary },
      '.cm-diagnostic': { fontFamily: theme.typography.fontFamily },
      '.bt-hint': { color: c.text.secondary, marginTop: '2px' },
      '.bt-tok-keyword': { color: v.getColorByName('purple'), fontWeight: 'bold' },
      '.bt-tok-label': { color: v.getColorByName('orange') },
      '.bt-tok-function': { color: v.getColorByName('blue') },
      '.bt-tok-string': { color: v.getColorByName('green') },
      '.bt-tok-number': { color: v.getColorByName('yellow') },
      '.bt-tok-duration': { color: v.getColorByName('yellow') },
      '.bt-tok-operator': { color: v.getColorByName('red') },
      '.bt-tok-punctuation': { color: c.text.secondary },
      '.bt-tok-comment': { color: c.text.disabled, fontStyle: 'italic' },
    },
    { dark: theme.isDark }
  );
}
