"use client";

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { HighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { Compartment, EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useEffect, useRef } from "react";
import { cn } from "@/components/ui/cn";
import type { FieldControlProps } from "@/components/ui/field";
import type { YamlProblem } from "@/lib/domain/template-draft";

// CodeMirror injects its styles as <style> elements: the CSP allows them (style-src 'unsafe-inline',
// lib/security/headers.ts). Colours come from CSS variables the wrapper sets, so light and dark themes
// and their contrast follow the page's Tailwind palette.
const theme = EditorView.theme({
  "&": { fontSize: "0.75rem", backgroundColor: "transparent", color: "inherit", height: "24rem" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", lineHeight: "1.25rem", overflow: "auto" },
  ".cm-content": { caretColor: "currentColor", padding: "0.5rem 0" },
  ".cm-cursor": { borderLeftColor: "currentColor" },
  ".cm-gutters": { backgroundColor: "transparent", color: "var(--cm-gutter)", borderRight: "1px solid var(--cm-gutter-border)" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--cm-active-line)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "var(--cm-selection)" },
});

const highlight = HighlightStyle.define([
  { tag: tags.definition(tags.propertyName), class: "text-sky-800 dark:text-sky-300" },
  { tag: [tags.string, tags.special(tags.string)], class: "text-emerald-800 dark:text-emerald-300" },
  { tag: tags.lineComment, class: "italic text-slate-600 dark:text-slate-400" },
  { tag: [tags.labelName, tags.typeName, tags.keyword, tags.meta], class: "text-violet-800 dark:text-violet-300" },
]);

/** The editable area's id, name and state for assistive technology (the Field's label, hint and errors). */
function contentAttributes(label: string, id: string, describedBy?: string, invalid?: true) {
  return EditorView.contentAttributes.of({
    id,
    "aria-label": label,
    "aria-multiline": "true",
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
    ...(invalid ? { "aria-invalid": "true" } : {}),
  });
}

/**
 * The template's values (vcluster.yaml) in a code editor: line numbers, YAML highlighting, and each syntax
 * problem marked on its line (gutter marker, underline, message on hover). The text feeds a hidden form field
 * of the same name, so the form posts it like any other field; the problems are also listed under the field
 * (Field errors) for screen readers.
 */
export function TemplateYamlEditor({
  name,
  label,
  value,
  onChange,
  problems,
  control,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problems: YamlProblem[];
  control: FieldControlProps;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const attributes = useRef(new Compartment());
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  const { id, "aria-describedby": describedBy, "aria-invalid": invalid } = control;

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          lintGutter(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          history(),
          // Tab is left to move focus (keyboard users); YAML is indented with spaces, which Enter keeps.
          keymap.of([...defaultKeymap, ...historyKeymap]),
          indentUnit.of("  "),
          yaml(),
          syntaxHighlighting(highlight),
          theme,
          attributes.current.of(contentAttributes(label, id, describedBy, invalid)),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once; later values, attributes and problems are pushed in by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: attributes.current.reconfigure(contentAttributes(label, id, describedBy, invalid)) });
  }, [label, id, describedBy, invalid]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const end = editor.state.doc.length;
    const diagnostics = problems.map((p) => ({ from: Math.min(p.from, end), to: Math.min(p.to, end), severity: "error" as const, message: `Line ${p.line}: ${p.message}` }));
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [problems, value]);

  return (
    <>
      <input type="hidden" name={name} value={value} />
      <div
        ref={host}
        data-testid={`editor-${name}`}
        data-invalid={invalid ? "" : undefined}
        className={cn(
          "overflow-hidden rounded-lg border border-slate-300 bg-white text-slate-900 shadow-sm focus-within:border-brand-500 focus-within:outline-2 focus-within:outline-brand-500/40 data-invalid:border-red-500 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100",
          "[--cm-active-line:var(--color-slate-100)] [--cm-gutter-border:var(--color-slate-200)] [--cm-gutter:var(--color-slate-600)] [--cm-selection:var(--color-brand-100)]",
          "dark:[--cm-active-line:var(--color-slate-900)] dark:[--cm-gutter-border:var(--color-slate-800)] dark:[--cm-gutter:var(--color-slate-400)] dark:[--cm-selection:var(--color-slate-700)]",
        )}
      />
    </>
  );
}
