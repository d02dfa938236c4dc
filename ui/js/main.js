// Wires the panes together: filters, list, reader, refresh progress, dialogs, settings.

import { api, errorMessage } from './api.js';
import { h } from './dom.js';
import { applyStrings, setLang, t } from './i18n.js';
import { bindKeys, SHORTCUTS } from './keys.js';
import { ArticleList } from './list.js';
import { Reader } from './reader.js';
import { renderSidebar } from './sidebar.js';

const $ = (id) => document.getElementById(id);

const state = {
  filters: { view: 'all', feed_id: null, folder: null, lang: null, theme: null, country: null, tag: null },
  sidebar: null,
};

function toast(message, isError = false) {
  const el = $('toast');
  el.textContent = message;
  el.className = isError ? 'error' : '';
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, isError ? 8000 : 4000);
}
const showError = (message) => toast(message, true);

const reader = new Reader($('reader'), {
  onChanged: (id, patch) => { list.update(id, patch); refreshSidebar(); },
  onError: showError,
});
const list = new ArticleList($('list-viewport'), $('list-spacer'), $('list-header'), {
  onOpen: (item) => reader.open(item.id),
  onError: showError,
});

async function refreshSidebar() {
  try {
    state.sidebar = await api.sidebar();
  } catch (error) {
    showError(errorMessage(error));
    return;
  }
  renderSidebar($('sidebar'), state.sidebar, state, { onSelect: applyFilter, onRemoveFeed: removeFeed, onRefreshFeed: (feed) => refresh(feed.id), onRenameTag: renameTag, onDeleteTag: deleteTag });
}

async function applyFilter(patch) {
  Object.assign(state.filters, patch);
  $('search').value = '';
  reader.empty();
  await Promise.all([list.load({ ...state.filters }), refreshSidebar()]);
}

async function removeFeed(feed) {
  if (!window.confirm(t('confirmRemove', { title: feed.title || feed.url }))) return;
  try {
    await api.removeFeed(feed.id);
    if (state.filters.feed_id === feed.id) state.filters.feed_id = null;
    await applyFilter({});
  } catch (error) {
    showError(errorMessage(error));
  }
}

async function renameTag(name) {
  const to = window.prompt(t('renameTag'), name);
  if (!to || to.trim() === name) return;
  try {
    await api.renameTag(name, to.trim());
    if (state.filters.tag === name) state.filters.tag = to.trim();
    await applyFilter({});
  } catch (error) {
    showError(errorMessage(error));
  }
}

async function deleteTag(name) {
  if (!window.confirm(t('deleteTag', { tag: name }))) return;
  try {
    await api.deleteTag(name);
    if (state.filters.tag === name) state.filters.tag = null;
    await applyFilter({});
  } catch (error) {
    showError(errorMessage(error));
  }
}

function startSearch() {
  const input = $('search');
  input.focus();
  input.select();
}

async function runSearch() {
  const text = $('search').value.trim();
  reader.empty();
  if (!text) return list.load({ ...state.filters });
  return list.showSearch(text);
}

// Refresh with per-feed progress.
let progress = { total: 0, done: 0 };
async function refresh(feedId = null) {
  const total = feedId ? 1 : (state.sidebar?.feeds.length ?? 0);
  progress = { total, done: 0 };
  $('progress-feeds').replaceChildren();
  $('progress-summary').textContent = t('refreshing', progress);
  $('progress').hidden = false;
  try {
    await api.refresh(feedId);
  } catch (error) {
    $('progress').hidden = true;
    showError(errorMessage(error));
  }
}

function statusText(report) {
  switch (report.status) {
    case 'updated': return t('statusNew', { n: report.new });
    case 'not_modified': return t('statusNotModified');
    case 'skipped': return t('statusSkipped');
    default: return t('statusFailed', { e: report.error || report.status });
  }
}

api.listen('refresh-progress', (report) => {
  progress.done += 1;
  $('progress-summary').textContent = t('refreshing', progress);
  const failed = ['failed', 'gone', 'rate_limited'].includes(report.status);
  $('progress-feeds').prepend(h('li', { class: failed ? 'failed' : 'ok' }, `${report.title || report.url}: ${statusText(report)}`));
});
api.listen('refresh-done', async (done) => {
  const summary = done.error ? done.error : t('refreshDone', done);
  $('progress-summary').textContent = summary;
  toast(summary, Boolean(done.error));
  setTimeout(() => { $('progress').hidden = true; }, 5000);
  await applyFilter({});
});

// Add feed dialog.
function openAddDialog() {
  $('add-error').hidden = true;
  $('add-url').value = '';
  $('add-dialog').showModal();
  $('add-url').focus();
}
$('add-feed').addEventListener('click', openAddDialog);
$('add-cancel').addEventListener('click', () => $('add-dialog').close());
$('add-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('add-submit').disabled = true;
  try {
    const report = await api.addFeed($('add-url').value, $('add-folder').value || null);
    $('add-dialog').close();
    toast(`${report.title}: ${t('statusNew', { n: report.new })}`);
    await applyFilter({ feed_id: report.feed_id, folder: null, view: 'all' });
  } catch (error) {
    $('add-error').textContent = errorMessage(error);
    $('add-error').hidden = false;
  } finally {
    $('add-submit').disabled = false;
  }
});

$('import-opml').addEventListener('click', async () => {
  try {
    const added = await api.importOpml();
    if (added !== null) { toast(t('imported', { n: added })); await refreshSidebar(); }
  } catch (error) { showError(errorMessage(error)); }
});
$('export-opml').addEventListener('click', async () => {
  try {
    const path = await api.exportOpml();
    if (path) toast(t('exported', { path }));
  } catch (error) { showError(errorMessage(error)); }
});
$('refresh-all').addEventListener('click', () => refresh());
$('export').addEventListener('click', () => $('export-dialog').showModal());
$('export-cancel').addEventListener('click', () => $('export-dialog').close());
$('export-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('export-dialog').close();
  try {
    const where = await api.exportSelection($('export-format').value, { ...state.filters });
    if (where) toast(t('exported', { path: where }));
  } catch (error) {
    showError(errorMessage(error));
  }
});
$('search').addEventListener('keydown', (event) => { if (event.key === 'Enter') runSearch(); });
$('search').addEventListener('search', () => runSearch());

function showHelp() {
  $('shortcut-table').replaceChildren(...SHORTCUTS.map(([key, label]) => h('tr', {}, h('td', {}, h('kbd', {}, key)), h('td', {}, t(label)))));
  $('help-dialog').showModal();
}
$('help').addEventListener('click', showHelp);
$('help-close').addEventListener('click', () => $('help-dialog').close());

$('load-images-global').addEventListener('change', async (event) => {
  reader.loadImages = event.target.checked;
  await api.setSetting('load_images', String(event.target.checked)).catch((e) => showError(errorMessage(e)));
  if (reader.view) reader.render();
});
$('ui-lang').addEventListener('change', async (event) => {
  setLang(event.target.value);
  await api.setSetting('ui_lang', event.target.value).catch((e) => showError(errorMessage(e)));
  await applyFilter({});
});

bindKeys({
  next: () => list.move(1),
  prev: () => list.move(-1),
  open: () => reader.openOriginal(),
  star: () => reader.toggleStar(),
  read: () => reader.toggleRead(),
  tag: () => reader.focusTag(),
  note: () => reader.focusNote(),
  search: startSearch,
  refresh: () => refresh(),
  help: showHelp,
  escape: () => {
    if ($('search').value) { $('search').value = ''; runSearch(); }
  },
});

async function start() {
  try {
    const settings = await api.getSettings();
    const ui = settings.ui_lang || ((navigator.language || '').toLowerCase().startsWith('fr') ? 'fr' : 'en');
    setLang(ui);
    $('ui-lang').value = ui;
    reader.loadImages = settings.load_images;
    $('load-images-global').checked = settings.load_images;
  } catch (error) {
    showError(errorMessage(error));
  }
  applyStrings(document);
  reader.empty();
  await applyFilter({});
  requestAnimationFrame(() => {
    document.body.dataset.ready = 'true';
    window.__TAURI__.core.invoke('ui_ready');
  });
}

start();
