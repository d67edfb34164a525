/**
 * Monaco, loaded lazily (dynamic import after first paint) following
 * docs toolchain.md §5: tree-shakeable entries, every editor feature
 * registered before editor.create, TS language registration, workers via
 * Vite `?worker` imports. Exposes a small EditorHost to the Preact pane.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/ini/register';
import { typescriptDefaults, getTypeScriptWorker, ModuleKind, ScriptTarget } from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { takeTsWorker } from './ts_worker_early';
import type { FileLanguage } from '../lessons/format';
import type { Release } from '../../nova/releases';
import { lintConf } from './conf_lint';

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  // The TypeScript worker may already be loading (ts_worker_early.ts).
  getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? takeTsWorker() : new EditorWorker()),
};

typescriptDefaults.setCompilerOptions({
  target: ScriptTarget.ES2020,
  module: ModuleKind.CommonJS,
  lib: ['es2020'],
  strict: true,
  noImplicitOverride: false,
  esModuleInterop: true,
  allowNonTsExtensions: true,
  noEmitOnError: false,
});
typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
// The simulation API lesson code compiles against (sim-api.d.ts, plus the
// declarations the lessons add in sim-api-lessons.d.ts).
const DECLARATIONS = import.meta.glob('./sim-api*.d.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
for (const [path, text] of Object.entries(DECLARATIONS)) {
  typescriptDefaults.addExtraLib(text, `file:///node_modules/@types/nova-upgrade-lab/${path.slice(2)}`);
}

// The editor backgrounds of theme.css (--editor-bg), as #rrggbb: Monaco's
// token theme rejects other forms, and reading the CSS variable would race
// the theme switch.
const EDITOR_BG = { light: '#ffffff', dark: '#11151d' };

function defineThemes(): void {
  monaco.editor.defineTheme('nul-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: { 'editor.background': EDITOR_BG.dark, 'editorGutter.background': EDITOR_BG.dark },
  });
  monaco.editor.defineTheme('nul-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editor.background': EDITOR_BG.light, 'editorGutter.background': EDITOR_BG.light },
  });
}

export interface Problem {
  path: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
  code?: number;
}

export interface EditorFile {
  path: string;
  value: string;
  language: FileLanguage;
  readonly: boolean;
  /** nova.conf files: the releases its service runs at (its [upgrade_levels] values are checked against them). */
  releases?: Release[];
}

export interface EditorOptions {
  wordWrap: boolean;
  fontSize: number;
}

export interface CheckResult {
  problems: Problem[];
  /** path -> emitted JavaScript (module CommonJS), for TypeScript files. */
  js: Record<string, string>;
}

export interface EditorHost {
  open(scope: string, files: EditorFile[], active: string): void;
  show(path: string): void;
  value(path: string): string | undefined;
  /** Replace a file's text as one undoable edit (Ctrl+Z brings the old text back). */
  replace(path: string, text: string): void;
  onChange(fn: (path: string, value: string) => void): void;
  onRun(fn: () => void): void;
  setTheme(theme: 'light' | 'dark'): void;
  setOptions(o: EditorOptions): void;
  onFocusChange(fn: (focused: boolean) => void): void;
  check(): Promise<CheckResult>;
  reveal(p: Problem): void;
  focus(): void;
  layout(): void;
  dispose(): void;
  /** For tests: the live editor. */
  readonly editor: monaco.editor.IStandaloneCodeEditor;
}

function flatten(m: string | { messageText: string; next?: unknown[] }): string {
  if (typeof m === 'string') return m;
  const next = (m.next as { messageText: string; next?: unknown[] }[] | undefined) ?? [];
  return [m.messageText, ...next.map((n) => '  ' + flatten(n))].join('\n');
}

/** nova.conf markers (owner 'nova-conf'), from conf_lint. */
function lintModel(model: monaco.editor.ITextModel, releases: Release[] | undefined): void {
  if (!releases?.length || model.isDisposed()) return;
  const issues = lintConf(model.getValue(), releases);
  monaco.editor.setModelMarkers(
    model,
    'nova-conf',
    issues.map((i) => ({
      startLineNumber: i.line,
      endLineNumber: i.line,
      startColumn: i.column,
      endColumn: i.endColumn,
      message: i.message,
      severity: i.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      source: 'nova.conf',
    })),
  );
}

export function createEditor(el: HTMLElement, theme: 'light' | 'dark', options: EditorOptions = { wordWrap: false, fontSize: 13 }, ariaLabel = 'Lesson code editor'): EditorHost {
  defineThemes();
  const editor = monaco.editor.create(el, {
    model: null,
    theme: theme === 'dark' ? 'nul-dark' : 'nul-light',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: options.fontSize,
    lineHeight: Math.round(options.fontSize * 1.55),
    fontFamily: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
    scrollBeyondLastLine: false,
    wordWrap: options.wordWrap ? 'on' : 'off',
    wrappingIndent: 'indent',
    tabSize: 2,
    renderLineHighlight: 'line',
    padding: { top: 8, bottom: 8 },
    ariaLabel,
    fixedOverflowWidgets: true,
  });
  let scope = '';
  const models = new Map<string, monaco.editor.ITextModel>();
  const readonly = new Map<string, boolean>();
  let changeFn: ((path: string, value: string) => void) | null = null;
  let runFn: (() => void) | null = null;
  let focusFn: ((focused: boolean) => void) | null = null;
  /** The last check's answer and the files it was for. */
  let lastCheck: { key: string; result: CheckResult } | null = null;
  let inflight: { key: string; promise: Promise<CheckResult> } | null = null;
  /** Diagnostics and JavaScript of these TypeScript models, from Monaco's TS worker. */
  const checkNow = async (ts: Array<[string, monaco.editor.ITextModel]>): Promise<CheckResult> => {
    const problems: Problem[] = [];
    const js: Record<string, string> = {};
    const getWorker = await getTypeScriptWorker();
    for (const [path, model] of ts) {
      const worker = await getWorker(model.uri);
      const uri = model.uri.toString();
      const diags = [...(await worker.getSyntacticDiagnostics(uri)), ...(await worker.getSemanticDiagnostics(uri))];
      for (const d of diags) {
        const pos = model.getPositionAt(d.start ?? 0);
        problems.push({ path, line: pos.lineNumber, column: pos.column, message: flatten(d.messageText as never), severity: d.category === 1 ? 'error' : 'warning', code: d.code });
      }
      if (!problems.some((p) => p.path === path && p.severity === 'error')) {
        const out = await worker.getEmitOutput(uri);
        const file = out.outputFiles.find((f) => f.name.endsWith('.js'));
        if (file) js[path] = file.text;
      }
    }
    return { problems, js };
  };
  editor.onDidFocusEditorText(() => focusFn?.(true));
  editor.onDidBlurEditorText(() => focusFn?.(false));
  const lintTimers = new Map<string, ReturnType<typeof setTimeout>>();
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => runFn?.());

  const uriOf = (path: string) => monaco.Uri.parse(`file:///${scope}/${path}`);

  const host: EditorHost = {
    editor,
    open(newScope, files, active) {
      for (const m of models.values()) m.dispose();
      models.clear();
      for (const t of lintTimers.values()) clearTimeout(t);
      lintTimers.clear();
      scope = newScope.replace(/[^A-Za-z0-9_-]/g, '_');
      for (const f of files) {
        const model = monaco.editor.createModel(f.value, f.language === 'plaintext' ? undefined : f.language, uriOf(f.path));
        model.onDidChangeContent(() => {
          changeFn?.(f.path, model.getValue());
          if (f.releases?.length) {
            clearTimeout(lintTimers.get(f.path));
            lintTimers.set(f.path, setTimeout(() => lintModel(model, f.releases), 150));
          }
        });
        lintModel(model, f.releases);
        models.set(f.path, model);
        readonly.set(f.path, f.readonly);
      }
      host.show(active);
      // Check the opened files now, in the background: the TS worker's first
      // answer takes 0.4 s (it loads, builds its program, checks), which the
      // first Run would otherwise wait for; unedited files are then checked already.
      setTimeout(() => void host.check().catch(() => undefined), 0);
    },
    show(path) {
      const m = models.get(path);
      editor.setModel(m ?? null);
      editor.updateOptions({ readOnly: readonly.get(path) ?? false });
    },
    value(path) {
      return models.get(path)?.getValue();
    },
    replace(path, text) {
      const m = models.get(path);
      if (!m || m.getValue() === text) return;
      m.pushStackElement();
      m.pushEditOperations([], [{ range: m.getFullModelRange(), text }], () => null);
      m.pushStackElement();
    },
    onChange(fn) {
      changeFn = fn;
    },
    onRun(fn) {
      runFn = fn;
    },
    setOptions(o) {
      editor.updateOptions({ wordWrap: o.wordWrap ? 'on' : 'off', fontSize: o.fontSize, lineHeight: Math.round(o.fontSize * 1.55) });
    },
    onFocusChange(fn) {
      focusFn = fn;
    },
    setTheme(t) {
      monaco.editor.setTheme(t === 'dark' ? 'nul-dark' : 'nul-light');
    },
    async check() {
      const ts = [...models.entries()].filter(([, m]) => m.getLanguageId() === 'typescript');
      if (ts.length === 0) return { problems: [], js: {} };
      // Nothing edited since the last check (a second Run of the same code): the same answer.
      const keyOf = () => ts.map(([path, m]) => `${path}\u0000${m.id}\u0000${m.getValue()}`).join('\u0001');
      const key = keyOf();
      if (lastCheck?.key === key) return structuredClone(lastCheck.result);
      // The same files are being checked already (the warm-up after load, or a Run pressed twice): wait for that answer.
      if (inflight?.key !== key) {
        const promise = checkNow(ts).then((result) => {
          // Only if nothing changed while the worker answered.
          if (keyOf() === key) lastCheck = { key, result: structuredClone(result) };
          return result;
        });
        inflight = { key, promise };
        const done = () => {
          if (inflight?.promise === promise) inflight = null;
        };
        promise.then(done, done);
      }
      return structuredClone(await inflight!.promise);
    },
    reveal(p) {
      host.show(p.path);
      editor.setPosition({ lineNumber: p.line, column: p.column });
      editor.revealLineInCenter(p.line);
      editor.focus();
    },
    focus() {
      editor.focus();
    },
    layout() {
      editor.layout();
    },
    dispose() {
      for (const m of models.values()) m.dispose();
      editor.dispose();
    },
  };
  (window as unknown as { __nulEditor?: unknown }).__nulEditor = editor;
  // For tests: the nova.conf markers of every open file.
  (window as unknown as { __nulConfMarkers?: unknown }).__nulConfMarkers = () => monaco.editor.getModelMarkers({ owner: 'nova-conf' }).map((m) => ({ path: m.resource.path, line: m.startLineNumber, severity: m.severity, message: m.message }));
  return host;
}
