/**
 * The least DOM Preact needs to render in Node (elements, text, attributes,
 * events), for component tests that check what a user would read.
 */
class FakeNode {
  childNodes: FakeNode[] = [];
  parentNode: FakeNode | null = null;
  constructor(
    readonly nodeType: number,
    readonly nodeName: string,
  ) {}
  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  get lastChild(): FakeNode | null {
    return this.childNodes.at(-1) ?? null;
  }
  get nextSibling(): FakeNode | null {
    const p = this.parentNode;
    return p ? (p.childNodes[p.childNodes.indexOf(this) + 1] ?? null) : null;
  }
  get ownerDocument() {
    return (globalThis as unknown as { document: unknown }).document;
  }
  insertBefore(n: FakeNode, ref: FakeNode | null) {
    n.parentNode?.removeChild(n);
    const i = ref ? this.childNodes.indexOf(ref) : -1;
    if (i < 0) this.childNodes.push(n);
    else this.childNodes.splice(i, 0, n);
    n.parentNode = this;
    return n;
  }
  appendChild(n: FakeNode) {
    return this.insertBefore(n, null);
  }
  removeChild(n: FakeNode) {
    this.childNodes = this.childNodes.filter((c) => c !== n);
    n.parentNode = null;
    return n;
  }
  remove() {
    this.parentNode?.removeChild(this);
  }
  contains(n: FakeNode | null): boolean {
    for (let x = n; x; x = x.parentNode) if (x === this) return true;
    return false;
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
}

class FakeText extends FakeNode {
  constructor(public data: string) {
    super(3, '#text');
  }
  override get textContent() {
    return this.data;
  }
  get nodeValue() {
    return this.data;
  }
  set nodeValue(v: string) {
    this.data = v;
  }
}

class FakeElement extends FakeNode {
  attributes: Record<string, string> = {};
  style: Record<string, string> & { setProperty(k: string, v: string): void } = Object.assign(Object.create(null), { setProperty(this: Record<string, string>, k: string, v: string) { this[k] = v; } });
  listeners: Record<string, ((e: unknown) => void)[]> = {};
  namespaceURI = 'http://www.w3.org/1999/xhtml';
  constructor(tag: string) {
    super(1, tag.toUpperCase());
  }
  get localName() {
    return this.nodeName.toLowerCase();
  }
  setAttribute(k: string, v: string) {
    this.attributes[k] = String(v);
  }
  getAttribute(k: string) {
    return this.attributes[k] ?? null;
  }
  removeAttribute(k: string) {
    delete this.attributes[k];
  }
  addEventListener(type: string, fn: (e: unknown) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  removeEventListener(type: string, fn: (e: unknown) => void) {
    this.listeners[type] = (this.listeners[type] ?? []).filter((f) => f !== fn);
  }
  /** Fire an event the way a click would (Preact listens per element). */
  dispatch(type: string) {
    for (const fn of this.listeners[type] ?? []) fn.call(this, { type, target: this, currentTarget: this, preventDefault() {}, stopPropagation() {} });
  }
  querySelector(sel: string): FakeElement | null {
    return this.querySelectorAll(sel)[0] ?? null;
  }
  querySelectorAll(sel: string): FakeElement[] {
    const out: FakeElement[] = [];
    const m = /^([a-z]*)(?:\[([\w-]+)(?:="([^"]*)")?\])?$/.exec(sel);
    const walk = (n: FakeNode) => {
      for (const c of n.childNodes) {
        if (c instanceof FakeElement && m && (!m[1] || c.localName === m[1]) && (!m[2] || (m[3] === undefined ? m[2] in c.attributes : c.attributes[m[2]] === m[3]))) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }
}

export function installFakeDom(): FakeElement {
  const body = new FakeElement('body');
  const doc = {
    body,
    documentElement: new FakeElement('html'),
    createElement: (t: string) => new FakeElement(t),
    createElementNS: (_ns: string, t: string) => new FakeElement(t),
    createTextNode: (s: string) => new FakeText(s),
    createComment: (s: string) => new FakeText(s),
  };
  Object.assign(globalThis, { document: doc });
  return body;
}

export type { FakeElement };
