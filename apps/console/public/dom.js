// A tiny element builder: text always goes in as text, never as HTML.
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') element.className = value;
    else if (value === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A labelled form field; `id` ties the label to the control for screen readers and tests. */
export function field(id, label, control) {
  control.id = id;
  control.name = control.name || id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

export function select(id, options, value) {
  return h('select', { id, name: id }, ...Object.entries(options).map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

/** Replaces an element's children, skipping the empty ones (null, undefined, false). */
export function mount(element, ...children) {
  element.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}
