// The only door to the shell: Tauri's invoke and events. No SQL, no parsing here.

const tauri = window.__TAURI__;

function call(command, args = {}) {
  return tauri.core.invoke(command, args);
}

export const api = {
  sidebar: () => call('sidebar'),
  listArticles: (query) => call('list_articles', { query }),
  getArticle: (id) => call('get_article', { id }),
  search: (query) => call('search', { query }),
  setRead: (id, read) => call('set_read', { id, read }),
  setStarred: (id, starred) => call('set_starred', { id, starred }),
  decideTag: (claimId, kind, value, verdict) => call('decide_tag', { claimId, kind, value, verdict }),
  tagArticle: (id, tag) => call('tag_article', { id, tag }),
  untagArticle: (id, tag) => call('untag_article', { id, tag }),
  saveNote: (id, body) => call('save_note', { id, body }),
  openLink: (url) => call('open_link', { url }),
  getSettings: () => call('get_settings'),
  setSetting: (key, value) => call('set_setting', { key, value }),
  addFeed: (url, folder) => call('add_feed', { url, folder }),
  removeFeed: (id) => call('remove_feed', { id }),
  importOpml: () => call('import_opml'),
  exportOpml: () => call('export_opml'),
  refresh: (feedId) => call('refresh', { feedId }),
  exportSelection: (format, query) => call('export_selection', { format, query }),
  addHighlight: (id, quote, note) => call('add_highlight', { id, quote, note }),
  removeHighlight: (articleId, id) => call('remove_highlight', { articleId, id }),
  renameTag: (from, to) => call('rename_tag', { from, to }),
  deleteTag: (tag) => call('delete_tag', { tag }),
  listen: (event, handler) => tauri.event.listen(event, (e) => handler(e.payload)),
};

/** The message of an error from the shell ({code, message}) or anything else. */
export function errorMessage(error) {
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return String(error);
}
