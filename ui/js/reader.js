// The reader: the sanitised article with its claims highlighted, the selected claim's
// score, reasons, themes and countries with evidence (confirm, reject, add), the
// article's own tags, and an autosaved Markdown note.

import { api, errorMessage } from './api.js';
import { debounce, h, shortDate } from './dom.js';
import { lang, t } from './i18n.js';

export class Reader {
  constructor(root, { onChanged, onError }) {
    this.root = root;
    this.onChanged = onChanged;
    this.onError = onError;
    this.view = null;
    this.loadImages = false;
    this.imagesForThis = false;
    this.selectedClaim = null;
    this.saveNote = debounce((id, body) => this.persistNote(id, body), 600);
    // The last text selected in the article: kept when the user moves on to type a note.
    this.pendingQuote = '';
    document.addEventListener('selectionchange', () => {
      const selection = window.getSelection();
      const content = this.root.querySelector('#content');
      if (selection && !selection.isCollapsed && content && content.contains(selection.anchorNode)) {
        this.pendingQuote = selection.toString().replace(/\s+/g, ' ').trim();
        const preview = this.root.querySelector('#highlight-pending');
        if (preview) preview.textContent = this.pendingQuote;
      }
    });
  }

  empty() {
    this.saveNote.flush(this.view?.article.id, this.noteArea?.value);
    this.view = null;
    this.root.replaceChildren(h('p', { class: 'placeholder' }, t('pickArticle')));
  }

  async open(id) {
    if (this.view && this.noteArea) this.saveNote.flush(this.view.article.id, this.noteArea.value);
    try {
      this.view = await api.getArticle(id);
    } catch (error) {
      this.onError(errorMessage(error));
      return;
    }
    this.imagesForThis = false;
    this.pendingQuote = '';
    this.selectedClaim = this.view.claims[0]?.id ?? null;
    this.render();
    if (!this.view.article.read) {
      await api.setRead(id, true).catch((error) => this.onError(errorMessage(error)));
      this.view.article.read = true;
      this.onChanged(id, { read: true });
    }
  }

  render() {
    const a = this.view.article;
    this.root.replaceChildren(
      h('header', { class: 'reader-head' },
        h('h1', { id: 'reader-title' }, a.title),
        h('div', { class: 'meta' },
          h('span', { class: 'lang-badge' }, (a.lang || '?').toUpperCase()),
          h('span', {}, a.source),
          h('span', {}, shortDate(a.published, lang())),
          a.author ? h('span', {}, a.author) : null,
          a.url ? h('button', { type: 'button', id: 'open-original', onclick: () => this.openOriginal() }, t('openOriginal') + ' ↗') : null,
          h('button', { type: 'button', id: 'star-toggle', class: a.starred ? 'on' : '', onclick: () => this.toggleStar() }, a.starred ? '★ ' + t('unstar') : '☆ ' + t('star')),
          h('button', { type: 'button', id: 'read-toggle', onclick: () => this.toggleRead() }, a.read ? t('markUnread') : t('markRead'))),
        this.tagsRow()),
      h('div', { class: 'reader-body' },
        h('div', { class: 'content', id: 'content' }, ...this.imageNotice(), this.body()),
        h('aside', { class: 'side' }, this.claimsPanel(), this.highlightsPanel(), this.notesPanel())),
    );
  }

  /** The sanitised HTML, parsed in an inert template, images held back, claims marked. */
  body() {
    const template = document.createElement('template');
    template.innerHTML = this.view.article.content_html;
    const fragment = template.content;
    const showImages = this.loadImages || this.imagesForThis;
    for (const img of fragment.querySelectorAll('img')) {
      if (!showImages) {
        img.dataset.src = img.getAttribute('src') || '';
        img.removeAttribute('src');
        img.removeAttribute('srcset');
        img.classList.add('blocked');
      }
    }
    for (const link of fragment.querySelectorAll('a[href]')) {
      link.addEventListener('click', (event) => {
        event.preventDefault();
        api.openLink(link.href).catch((error) => this.onError(errorMessage(error)));
      });
    }
    const container = h('div', { class: 'article-html' });
    container.append(fragment);
    markSpans(container, this.view.claims.map((claim) => ({
      text: claim.text,
      className: claim.id === this.selectedClaim ? 'claim selected' : 'claim',
      data: { claimId: claim.id },
      title: claim.score.toFixed(2),
      onClick: () => this.selectClaim(claim.id),
    })));
    markSpans(container, this.view.highlights.filter((hl) => !hl.detached).map((hl) => ({
      text: hl.quote,
      className: 'hl',
      data: { highlightId: hl.id },
      title: hl.note,
    })));
    return container;
  }

  imageNotice() {
    const count = (this.view.article.content_html.match(/<img\b/g) || []).length;
    if (count === 0 || this.loadImages || this.imagesForThis) return [];
    return [h('p', { class: 'notice' }, t('imagesBlocked'), ' ',
      h('button', { type: 'button', id: 'load-images', onclick: () => { this.imagesForThis = true; this.render(); } }, t('loadImages', { n: count })))];
  }

  claimsPanel() {
    const claims = this.view.claims;
    const list = h('ol', { class: 'claim-list' }, claims.map((claim) =>
      h('li', {}, h('button', {
        type: 'button', class: claim.id === this.selectedClaim ? 'claim-link selected' : 'claim-link', 'data-claim-id': claim.id,
        onclick: () => this.selectClaim(claim.id),
      }, h('span', { class: 'score' }, claim.score.toFixed(2)), ' ', claim.text))));
    const selected = claims.find((c) => c.id === this.selectedClaim);
    return h('section', { class: 'claims', id: 'claims' },
      h('h2', {}, `${t('claims')} (${claims.length})`),
      claims.length ? list : h('p', {}, t('noClaims')),
      selected ? this.claimDetail(selected) : null);
  }

  claimDetail(claim) {
    const tagRow = (tag) => h('li', { class: `tag-row ${tag.verdict || ''}`, 'data-kind': tag.kind, 'data-tag': tag.id },
      h('span', { class: `chip ${tag.kind}` }, tag.id),
      tag.evidence.length ? h('span', { class: 'evidence', title: t('evidence') }, '“' + tag.evidence.join('”, “') + '”') : null,
      tag.verdict ? h('span', { class: 'verdict' }, t(tag.verdict)) : null,
      h('button', { type: 'button', class: 'confirm', title: t('confirm'), 'aria-label': t('confirm'), onclick: () => this.decide(claim, tag.kind, tag.id, 'confirmed') }, '✓'),
      h('button', { type: 'button', class: 'reject', title: t('reject'), 'aria-label': t('reject'), onclick: () => this.decide(claim, tag.kind, tag.id, 'rejected') }, '✗'));
    const themeSelect = h('select', { class: 'add-theme', onchange: (e) => e.target.value && this.decide(claim, 'theme', e.target.value, 'added') },
      h('option', { value: '' }, t('addTheme')),
      this.view.themes.map(([id, meaning]) => h('option', { value: id, title: meaning }, id)));
    const countryInput = h('input', { class: 'add-country', maxlength: 2, placeholder: t('addCountry'), onkeydown: (e) => {
      if (e.key === 'Enter' && e.target.value.trim()) this.decide(claim, 'country', e.target.value.trim().toUpperCase(), 'added');
    } });
    const reasons = Array.isArray(claim.reasons) ? claim.reasons : [];
    return h('div', { class: 'claim-detail', id: 'claim-detail' },
      h('blockquote', {}, claim.text),
      h('p', {}, h('strong', {}, t('score') + ' '), claim.score.toFixed(2)),
      h('p', { class: 'reasons' }, h('strong', {}, t('reasons') + ' '),
        reasons.map((r) => h('span', { class: r.weight >= 0 ? 'reason plus' : 'reason minus', title: r.match }, `${r.feature} ${r.weight > 0 ? '+' : ''}${r.weight}`))),
      h('ul', { class: 'tag-rows' }, claim.tags.map(tagRow)),
      h('div', { class: 'add-tags' }, themeSelect, countryInput));
  }

  selectClaim(id) {
    this.selectedClaim = id;
    const keep = this.root.querySelector('.content')?.scrollTop;
    this.render();
    const content = this.root.querySelector('.content');
    if (content && keep !== undefined) content.scrollTop = keep;
  }

  async decide(claim, kind, value, verdict) {
    try {
      this.view.claims = await api.decideTag(claim.id, kind, value, verdict);
      this.selectClaim(claim.id);
      this.onChanged(this.view.article.id, {});
    } catch (error) {
      this.onError(errorMessage(error));
    }
  }

  highlightsPanel() {
    const note = h('input', { id: 'highlight-note', class: 'highlight-note', placeholder: t('highlightNote') });
    const add = h('button', { type: 'button', id: 'highlight-add', onclick: () => this.highlightSelection(note.value) }, t('highlightSelection'));
    const list = this.view.highlights.length
      ? h('ul', { class: 'highlight-list' }, this.view.highlights.map((hl) => h('li', { class: hl.detached ? 'detached' : '', 'data-highlight-id': hl.id },
        h('q', {}, hl.quote), hl.note ? h('span', { class: 'hl-note' }, ' — ' + hl.note) : null,
        hl.detached ? h('em', {}, ` (${t('detached')})`) : null,
        h('button', { type: 'button', class: 'remove-highlight', 'aria-label': '×', onclick: () => this.removeHighlight(hl.id) }, '×'))))
      : h('p', { class: 'muted' }, t('noHighlights'));
    const pending = h('q', { id: 'highlight-pending', class: 'pending' }, this.pendingQuote);
    return h('section', { class: 'highlights', id: 'highlights' }, h('h2', {}, `${t('highlights')} (${this.view.highlights.length})`), pending, note, add, list);
  }

  /** Highlights the text last selected in the article (the core finds it in the plain text). */
  async highlightSelection(note) {
    const quote = this.pendingQuote;
    if (!quote) {
      this.onError(t('noHighlights'));
      return;
    }
    try {
      this.view.highlights = await api.addHighlight(this.view.article.id, quote, note || '');
      this.pendingQuote = '';
      window.getSelection()?.removeAllRanges();
      this.render();
      this.onChanged(this.view.article.id, {});
    } catch (error) {
      this.onError(errorMessage(error));
    }
  }

  async removeHighlight(id) {
    try {
      this.view.highlights = await api.removeHighlight(this.view.article.id, id);
      this.render();
    } catch (error) {
      this.onError(errorMessage(error));
    }
  }

  tagsRow() {
    const input = h('input', { id: 'tag-input', class: 'tag-input', placeholder: t('addTag'), onkeydown: (e) => {
      if (e.key === 'Enter' && e.target.value.trim()) this.tag(e.target.value.trim());
      if (e.key === 'Escape') e.target.blur();
    } });
    return h('div', { class: 'article-tags', 'aria-label': t('articleTags') },
      this.view.tags.map((tag) => h('span', { class: 'chip user-tag', 'data-tag': tag }, tag,
        h('button', { type: 'button', class: 'untag', 'aria-label': '×', onclick: () => this.untag(tag) }, '×'))),
      input);
  }

  async tag(name) {
    try {
      this.view.tags = await api.tagArticle(this.view.article.id, name);
      this.render();
      this.root.querySelector('#tag-input')?.focus();
      this.onChanged(this.view.article.id, {});
    } catch (error) {
      this.onError(errorMessage(error));
    }
  }

  async untag(name) {
    try {
      this.view.tags = await api.untagArticle(this.view.article.id, name);
      this.render();
      this.onChanged(this.view.article.id, {});
    } catch (error) {
      this.onError(errorMessage(error));
    }
  }

  notesPanel() {
    const id = this.view.article.id;
    this.noteStatus = h('span', { class: 'note-status', id: 'note-status' }, this.view.note ? t('saved') : '');
    this.noteArea = h('textarea', { id: 'note', placeholder: t('notesPlaceholder'), rows: 8, oninput: (e) => {
      this.noteStatus.textContent = t('saving');
      this.saveNote(id, e.target.value);
    }, onblur: (e) => this.saveNote.flush(id, e.target.value) });
    this.noteArea.value = this.view.note?.body ?? '';
    return h('section', { class: 'notes' }, h('h2', {}, t('notes'), ' ', this.noteStatus), this.noteArea);
  }

  async persistNote(id, body) {
    if (id === undefined || body === undefined) return;
    try {
      await api.saveNote(id, body);
      if (this.view?.article.id === id) {
        this.view.note = body.trim() ? { body } : null;
        this.noteStatus.textContent = t('saved');
      }
    } catch (error) {
      this.onError(errorMessage(error));
    }
  }

  focusTag() { this.root.querySelector('#tag-input')?.focus(); }
  focusNote() { this.root.querySelector('#note')?.focus(); }

  openOriginal() {
    const url = this.view?.article.url;
    if (url) api.openLink(url).catch((error) => this.onError(errorMessage(error)));
  }

  async toggleStar() {
    if (!this.view) return;
    const a = this.view.article;
    try {
      await api.setStarred(a.id, !a.starred);
      a.starred = !a.starred;
      this.render();
      this.onChanged(a.id, { starred: a.starred });
    } catch (error) {
      this.onError(errorMessage(error));
    }
  }

  async toggleRead() {
    if (!this.view) return;
    const a = this.view.article;
    try {
      await api.setRead(a.id, !a.read);
      a.read = !a.read;
      this.render();
      this.onChanged(a.id, { read: a.read });
    } catch (error) {
      this.onError(errorMessage(error));
    }
  }
}

/**
 * Wraps each entry's text in a <mark> inside `root`. The core gives texts as they stand in
 * the article's plain text; the HTML's text nodes, with whitespace collapsed, contain the
 * same characters, so each text is found in order and wrapped node by node (a span may
 * cross <a> or <b> boundaries). Called once per kind of mark, as marks split text nodes.
 */
function markSpans(root, entries) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const positions = [];
  let flat = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    for (let i = 0; i < text.length; i++) {
      const ch = /\s/.test(text[i]) ? ' ' : text[i];
      if (ch === ' ' && (flat.endsWith(' ') || flat === '')) continue;
      flat += ch;
      positions.push([node, i]);
    }
    if (!flat.endsWith(' ')) { flat += ' '; positions.push([node, text.length]); }
  }
  const found = [];
  for (const entry of entries) {
    const needle = entry.text.replace(/\s+/g, ' ').trim();
    const at = needle ? flat.indexOf(needle) : -1;
    if (at >= 0) found.push({ entry, start: at, end: at + needle.length });
  }
  found.sort((a, b) => b.start - a.start);
  for (const { entry, start, end } of found) {
    const segments = [];
    let i = start;
    while (i < end) {
      const [node] = positions[i];
      let j = i;
      while (j < end && positions[j][0] === node) j++;
      segments.push([node, positions[i][1], positions[j - 1][1] + 1]);
      i = j;
    }
    for (const [node, a, b] of segments.reverse()) {
      const range = document.createRange();
      range.setStart(node, a);
      range.setEnd(node, Math.min(b, node.nodeValue.length));
      const mark = document.createElement('mark');
      mark.className = entry.className;
      Object.assign(mark.dataset, entry.data);
      if (entry.title) mark.title = entry.title;
      if (entry.onClick) mark.addEventListener('click', entry.onClick);
      range.surroundContents(mark);
    }
  }
}
