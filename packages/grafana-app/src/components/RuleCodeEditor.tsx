import React, { useEffect, useRef } from 'react';
import { css } from '@emotion/css';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { betraceHighlighting, betraceLinter, betraceTheme } from '../dsl/editor-extensions';
import type { EditorDiagnostic } from '../dsl/lint';

/** CodeMirror 6 with BeTraceDSL highlighting and live diagnostics from @betrace/dsl. */
export function RuleCodeEditor({ value, onChange, onDiagnostics, testId }: { value: string; onChange(v: string): void; onDiagnostics?(d: EditorDiagnostic[]): void; testId: string }) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const themeSlot = useRef(new Compartment());
  const callbacks = useRef({ onChange, onDiagnostics });
  useEffect(() => {
    callbacks.current = { onChange, onDiagnostics };
  });

  useEffect(() => {
    if (!host.current) {
      return undefined;
    }
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          placeholder('when { p: payment.charge.where(amount > 1000) }\nalways { fraud.check before p }'),
          betraceHighlighting,
          betraceLinter((d) => callbacks.current.onDiagnostics?.(d)),
          themeSlot.current.of(betraceTheme(theme)),
          EditorView.updateListener.of((u) => u.docChanged && callbacks.current.onChange(u.state.doc.toString())),
          EditorView.contentAttributes.of({ 'aria-label': 'Rule condition' }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = undefined;
    };
    // The editor is created once; value and theme changes are pushed in below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: themeSlot.current.reconfigure(betraceTheme(theme)) });
  }, [theme]);

  return <div ref={host} className={s.editor} data-testid={testId} />;
}

const getStyles = () => ({
  editor: css({ '.cm-editor': { minHeight: 180, maxHeight: 480 }, '.cm-scroller': { overflow: 'auto' } }),
});
