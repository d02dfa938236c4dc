// Keyboard shortcuts. Keys typed into a field stay in the field (Escape leaves it).

export const SHORTCUTS = [
  ['j', 'keyNext'], ['k', 'keyPrev'], ['o', 'keyOpen'], ['s', 'keyStar'], ['m', 'keyRead'],
  ['t', 'keyTag'], ['n', 'keyNote'], ['/', 'keySearch'], ['r', 'keyRefresh'], ['?', 'keyHelp'], ['Esc', 'keyEscape'],
];

/** Calls `actions[name]()` for each shortcut pressed outside text fields. */
export function bindKeys(actions) {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
    if (event.key === 'Escape') {
      if (typing) target.blur();
      actions.escape();
      return;
    }
    if (typing) return;
    const action = {
      j: 'next', k: 'prev', o: 'open', s: 'star', m: 'read', t: 'tag', n: 'note', '/': 'search', r: 'refresh', '?': 'help',
    }[event.key];
    if (!action) return;
    event.preventDefault();
    actions[action]();
  });
}
