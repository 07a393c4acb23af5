// A few DOM helpers, so the views stay plain JavaScript without a framework.

/**
 * Creates an element: `h('button', { class: 'x', onclick: fn }, 'Settle')`. Attributes whose
 * name starts with "on" become event listeners, `false`/`null`/`undefined` attributes are left
 * out, and children may be strings, numbers, nodes, arrays of them or null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces every child of `el` with `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table with a header row and one row per item (`cells(item)` gives the row's cells). */
export function table(caption, headers, items, cells) {
  if (items.length === 0) return h('p', { class: 'empty' }, `${caption}: none yet.`);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        items.map((item) => h('tr', {}, cells(item).map((c, i) => h('td', { 'data-label': headers[i] }, c)))),
      ),
    ),
  );
}

/** A labelled form field: `field('Capacity', h('input', {...}))`. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', {}, label), control, hint ? h('small', {}, hint) : null);
}
