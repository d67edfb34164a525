/** A collapsible JSON tree (native <details>, so it is keyboard-usable for free). */
import type { ComponentChildren } from 'preact';

function Scalar({ v }: { v: unknown }) {
  if (v === null) return <span class="j-null">null</span>;
  if (typeof v === 'string') return <span class="j-str">"{v}"</span>;
  if (typeof v === 'number') return <span class="j-num">{String(v)}</span>;
  if (typeof v === 'boolean') return <span class="j-bool">{String(v)}</span>;
  return <span>{String(v)}</span>;
}

function Key({ k }: { k: string | number }) {
  if (typeof k === 'number') return null;
  const special = k.startsWith('nova_object.') || k.startsWith('versioned_object.') ? ' j-obj' : k.startsWith('_context_') ? ' j-ctx' : k === 'version' || k === 'method' ? ' j-hot' : '';
  return <span class={`j-key${special}`}>"{k}": </span>;
}

export function JsonTree({ value, name, depth = 0, open = 2 }: { value: unknown; name?: string | number; depth?: number; open?: number }): preact.JSX.Element {
  const isArr = Array.isArray(value);
  if (value && typeof value === 'object') {
    const entries: [string | number, unknown][] = isArr ? (value as unknown[]).map((v, i) => [i, v]) : Object.entries(value as Record<string, unknown>);
    const [o, c] = isArr ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0)
      return (
        <div class="j-line">
          {name !== undefined && <Key k={name} />}
          {o + c}
        </div>
      );
    const obj = !isArr ? (value as Record<string, unknown>) : null;
    const summary: ComponentChildren = obj && typeof obj['nova_object.name'] === 'string' ? <span class="j-badge">{`${String(obj['nova_object.name'])} ${String(obj['nova_object.version'])}`}</span> : <span class="j-count">{`${entries.length} ${isArr ? 'items' : 'keys'}`}</span>;
    return (
      <details class="j-node" open={depth < open}>
        <summary>
          {name !== undefined && <Key k={name} />}
          {o} {summary}
        </summary>
        <div class="j-children">
          {entries.map(([k, v]) => (
            <JsonTree key={String(k)} value={v} name={k} depth={depth + 1} open={open} />
          ))}
        </div>
        <div class="j-close">{c}</div>
      </details>
    );
  }
  return (
    <div class="j-line">
      {name !== undefined && <Key k={name} />}
      <Scalar v={value} />
    </div>
  );
}
