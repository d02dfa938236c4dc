// The sidebar: smart views, feeds by folder with unread counts and error badges, and the
// language, theme, country and tag filters with their counts.

import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * Renders the sidebar into `root`. `state.filters` says what is selected; `onSelect`
 * receives a partial filter to apply; `onRemoveFeed` a feed to remove.
 */
export function renderSidebar(root, data, state, { onSelect, onRemoveFeed, onRefreshFeed, onRenameTag, onDeleteTag }) {
  const f = state.filters;
  const item = (label, count, selected, patch, extra = {}) =>
    h('li', {},
      h('button', { type: 'button', class: selected ? 'item selected' : 'item', onclick: () => onSelect(patch), ...extra },
        h('span', { class: 'label' }, label),
        count === null ? null : h('span', { class: 'count' }, String(count))));

  const views = h('ul', {},
    item(t('all'), data.all, f.view === 'all' && !f.feed_id && !f.folder, { view: 'all', feed_id: null, folder: null }, { 'data-view': 'all' }),
    item(t('unread'), data.unread, f.view === 'unread', { view: 'unread', feed_id: null, folder: null }, { 'data-view': 'unread' }),
    item(t('starred'), data.starred, f.view === 'starred', { view: 'starred', feed_id: null, folder: null }, { 'data-view': 'starred' }));

  const folders = new Map();
  for (const feed of data.feeds) {
    const key = feed.folder ?? '';
    if (!folders.has(key)) folders.set(key, []);
    folders.get(key).push(feed);
  }
  const feedTree = h('div', { class: 'feeds' });
  for (const [folder, feeds] of folders) {
    const unread = feeds.reduce((n, feed) => n + feed.unread, 0);
    const list = h('ul', {}, feeds.map((feed) => feedRow(feed, f, { onSelect, onRemoveFeed, onRefreshFeed })));
    const title = h('button', { type: 'button', class: f.folder === folder && folder ? 'folder selected' : 'folder', onclick: () => folder && onSelect({ folder, feed_id: null }) },
      h('span', { class: 'label' }, folder || t('noFolder')), h('span', { class: 'count' }, String(unread)));
    const open = unread > 0 || f.folder === folder || feeds.some((feed) => feed.id === f.feed_id);
    feedTree.append(h('details', { open }, h('summary', {}, title), list));
  }

  const facet = (titleKey, entries, key, format = (v) => v) =>
    entries.length === 0 ? null : h('section', { class: 'facet', 'data-facet': key },
      h('h3', {}, t(titleKey)),
      h('ul', {}, entries.map(([value, count]) =>
        item(format(value), count, f[key] === value, { [key]: f[key] === value ? null : value }, { 'data-value': value }))));

  const sections = [
    h('section', {}, h('h3', {}, t('views')), views),
    h('section', {}, h('h3', {}, t('feeds')), feedTree),
    facet('languages', data.languages, 'lang', (v) => v.toUpperCase()),
    facet('themes', data.themes, 'theme'),
    facet('countries', data.countries, 'country'),
    tagFacet(data.tags, f, item, { onRenameTag, onDeleteTag }),
    hasFilter(f) ? h('button', { type: 'button', class: 'clear', onclick: () => onSelect({ lang: null, theme: null, country: null, tag: null, feed_id: null, folder: null, view: 'all' }) }, t('clearFilters')) : null,
  ];
  root.replaceChildren(...sections.filter(Boolean));
}

function feedRow(feed, f, { onSelect, onRemoveFeed, onRefreshFeed }) {
  const title = feed.title || feed.url;
  const badge = feed.last_error
    ? h('span', { class: 'error-badge', title: t('lastError', { e: feed.last_error }), 'aria-label': t('lastError', { e: feed.last_error }) }, '!')
    : null;
  return h('li', { class: 'feed' },
    h('button', { type: 'button', class: f.feed_id === feed.id ? 'item selected' : 'item', 'data-feed-id': feed.id, title: feed.url, onclick: () => onSelect({ feed_id: feed.id, folder: null }) },
      h('span', { class: 'label' }, title), badge, h('span', { class: 'count' }, String(feed.unread))),
    h('button', { type: 'button', class: 'refresh-one', title: t('refreshFeed'), 'aria-label': t('refreshFeed'), onclick: () => onRefreshFeed(feed) }, '↻'),
    h('button', { type: 'button', class: 'remove', title: t('removeFeed'), 'aria-label': t('removeFeed'), onclick: () => onRemoveFeed(feed) }, '×'));
}

/** The user's tags, each with rename and delete actions. */
function tagFacet(tags, f, item, { onRenameTag, onDeleteTag }) {
  if (tags.length === 0) return null;
  const rows = tags.map((tag) => {
    const row = item(tag.name, tag.articles, f.tag === tag.name, { tag: f.tag === tag.name ? null : tag.name }, { 'data-value': tag.name });
    row.classList.add('tag-item');
    row.append(
      h('button', { type: 'button', class: 'tag-action rename', title: t('tagActions'), 'aria-label': t('renameTag'), onclick: () => onRenameTag(tag.name) }, '✎'),
      h('button', { type: 'button', class: 'tag-action delete', title: t('tagActions'), 'aria-label': t('deleteTag', { tag: tag.name }), onclick: () => onDeleteTag(tag.name) }, '×'));
    return row;
  });
  return h('section', { class: 'facet', 'data-facet': 'tag' }, h('h3', {}, t('tags')), h('ul', {}, rows));
}

function hasFilter(f) {
  return f.lang || f.theme || f.country || f.tag || f.feed_id || f.folder || f.view !== 'all';
}
