// The article list, virtualised: only the rows in view exist in the DOM and pages of 100
// are fetched as the user scrolls, so 50,000 articles cost what 30 do.

import { api, errorMessage } from './api.js';
import { h, marked, shortDate } from './dom.js';
import { lang, t } from './i18n.js';

const ROW = 64;
const PAGE = 100;
/** Pages kept in memory; those farthest from the view go first (100,000 rows would
 * otherwise all stay in the web process after a long scroll). */
const KEPT_PAGES = 30;

export class ArticleList {
  constructor(viewport, spacer, header, { onOpen, onError }) {
    this.viewport = viewport;
    this.spacer = spacer;
    this.header = header;
    this.onOpen = onOpen;
    this.onError = onError;
    this.pages = new Map();
    this.total = 0;
    this.selected = -1;
    this.query = {};
    this.search = null;
    this.generation = 0;
    viewport.addEventListener('scroll', () => this.render());
    new ResizeObserver(() => this.render()).observe(viewport);
  }

  /** Shows the articles matching `query` (a ListQuery without offset/limit). */
  async load(query) {
    this.query = query;
    this.search = null;
    await this.reset();
  }

  /** Shows search results for `text` instead of the filtered list. */
  async showSearch(text) {
    this.search = text;
    await this.reset();
  }

  async reset() {
    this.generation += 1;
    this.pages.clear();
    this.selected = -1;
    this.viewport.scrollTop = 0;
    try {
      if (this.search) {
        const hits = await api.search(this.search);
        this.pages.set(0, hits);
        this.total = hits.length;
      } else {
        await this.fetchPage(0);
      }
    } catch (error) {
      this.total = 0;
      this.onError(errorMessage(error));
    }
    this.header.textContent = this.search ? t('results', { n: this.total, q: this.search }) : t('articles', { n: this.total });
    this.render();
  }

  async fetchPage(page) {
    if (this.pages.has(page)) return;
    this.pages.set(page, null);
    const generation = this.generation;
    const result = await api.listArticles({ ...this.query, offset: page * PAGE, limit: PAGE });
    if (generation !== this.generation) return;
    this.pages.set(page, result.items);
    this.total = result.total;
  }

  item(index) {
    const page = this.search ? this.pages.get(0) : this.pages.get(Math.floor(index / PAGE));
    if (!page) return undefined;
    return this.search ? page[index] : page[index % PAGE];
  }

  /** Draws the rows in view, fetching missing pages. */
  render() {
    this.spacer.style.height = `${this.total * ROW}px`;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW) - 5);
    const last = Math.min(this.total, Math.ceil((this.viewport.scrollTop + this.viewport.clientHeight) / ROW) + 5);
    const missing = new Set();
    const rows = [];
    for (let i = first; i < last; i++) {
      const item = this.item(i);
      if (item === undefined) {
        missing.add(Math.floor(i / PAGE));
        continue;
      }
      rows.push(this.row(item, i));
    }
    this.spacer.replaceChildren(...rows);
    if (this.total === 0) {
      this.spacer.replaceChildren(h('p', { class: 'empty' }, t('nothingHere')));
    }
    this.evictFarFrom(Math.floor(first / PAGE));
    for (const page of missing) {
      if (!this.pages.has(page)) {
        this.fetchPage(page).then(() => this.render(), (error) => this.onError(errorMessage(error)));
      }
    }
  }

  evictFarFrom(center) {
    if (this.search || this.pages.size <= KEPT_PAGES) return;
    const byDistance = [...this.pages.keys()].sort((a, b) => Math.abs(b - center) - Math.abs(a - center));
    for (const page of byDistance.slice(0, this.pages.size - KEPT_PAGES)) this.pages.delete(page);
  }

  row(item, index) {
    const chips = [
      ...(item.themes || []).map((theme) => h('span', { class: 'chip theme' }, theme)),
      ...(item.countries || []).map((country) => h('span', { class: 'chip country' }, country)),
    ];
    const title = this.search ? marked(item.title, item.title_marks) : [item.title];
    const row = h('div', {
      class: ['row', item.read ? 'read' : 'unread', index === this.selected ? 'selected' : ''].join(' '),
      role: 'option', 'aria-selected': index === this.selected ? 'true' : 'false', 'data-id': item.id, 'data-index': index,
      onclick: () => this.select(index),
    },
    h('div', { class: 'title' }, item.starred ? h('span', { class: 'star' }, '★ ') : null, ...title),
    h('div', { class: 'meta' },
      h('span', { class: 'lang-badge' }, (item.lang || '?').toUpperCase()),
      h('span', { class: 'source' }, item.source),
      h('span', { class: 'date' }, shortDate(item.published, lang())),
      this.search ? h('span', { class: 'snippet' }, ...marked(item.snippet.text, item.snippet.marks)) : chips));
    row.style.top = `${index * ROW}px`;
    return row;
  }

  /** Selects the row at `index`, scrolls it into view and opens it. */
  select(index) {
    if (index < 0 || index >= this.total) return;
    this.selected = index;
    const top = index * ROW;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    if (top + ROW > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW - this.viewport.clientHeight;
    this.render();
    const item = this.item(index);
    if (item) this.onOpen(item);
  }

  move(delta) {
    this.select(Math.min(this.total - 1, Math.max(0, this.selected + delta)));
  }

  current() {
    return this.selected >= 0 ? this.item(this.selected) : undefined;
  }

  /** Updates a loaded row after the reader changed its state. */
  update(id, patch) {
    for (const page of this.pages.values()) {
      const item = page && page.find((row) => row.id === id);
      if (item) Object.assign(item, patch);
    }
    this.render();
  }
}
