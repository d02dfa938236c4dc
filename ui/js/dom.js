// Building DOM nodes without ever parsing untrusted strings as HTML: text goes in as
// text nodes; the only HTML the UI inserts is the core's sanitised article body.

/** Creates an element: h('button', {class: 'x', onclick: fn}, 'label', child…). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Text with byte-range marks (from the core, UTF-8 offsets) as nodes with <mark>s. */
export function marked(text, marks) {
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder();
  const nodes = [];
  let at = 0;
  for (const [start, end] of marks || []) {
    if (start < at || end > bytes.length) continue;
    nodes.push(decoder.decode(bytes.slice(at, start)));
    nodes.push(h('mark', {}, decoder.decode(bytes.slice(start, end))));
    at = end;
  }
  nodes.push(decoder.decode(bytes.slice(at)));
  return nodes;
}

/** A short date in the interface language. */
export function shortDate(iso, lang) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'en-GB', { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Calls fn at most once per `ms` after the last call. */
export function debounce(fn, ms) {
  let timer;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = undefined; fn(...args); }, ms);
  };
  wrapped.flush = (...args) => {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined; fn(...args); }
  };
  return wrapped;
}
