// Interface strings in English and French. Article text is never translated here.

const strings = {
  en: {
    searchPlaceholder: 'Search all languages (/)',
    refresh: 'Refresh', addFeed: 'Add feed', importOpml: 'Import OPML', exportOpml: 'Export OPML',
    alwaysLoadImages: 'Load images', feedAddress: 'Feed or web page address', folder: 'Folder',
    cancel: 'Cancel', add: 'Add', close: 'Close', shortcuts: 'Keyboard shortcuts',
    views: 'Views', all: 'All', unread: 'Unread', starred: 'Starred', feeds: 'Feeds', noFolder: 'No folder',
    languages: 'Languages', themes: 'Themes', countries: 'Countries', tags: 'Tags',
    clearFilters: 'Clear filters', articles: '{n} articles', articlesOne: '{n} article', results: '{n} results for “{q}”', resultsOne: '{n} result for “{q}”',
    nothingHere: 'No article matches.', pickArticle: 'Select an article to read it.',
    openOriginal: 'Open original', star: 'Star', unstar: 'Unstar', markRead: 'Mark read', markUnread: 'Mark unread',
    loadImages: 'Load {n} images', imagesBlocked: 'Remote images are blocked: they tell the publisher you read this.',
    claims: 'Claims', noClaims: 'No checkable claim found.', score: 'Score', reasons: 'Reasons',
    evidence: 'Evidence', confirm: 'Confirm', reject: 'Reject', addTheme: 'Add theme…', addCountry: 'Add country (e.g. CN, EU)',
    confirmed: 'confirmed', rejected: 'rejected', added: 'added by you',
    articleTags: 'Tags', addTag: 'Add a tag (t)', notes: 'Notes', notesPlaceholder: 'Your notes, in Markdown (n)',
    saved: 'Saved', saving: 'Saving…', removeFeed: 'Remove feed', confirmRemove: 'Remove “{title}”? Starred, tagged and annotated articles are kept.',
    lastError: 'Last error: {e}', refreshing: 'Refreshing {done}/{total} feeds…',
    refreshDone: '{feeds} feeds: {new} new, {updated} updated, {failed} with errors',
    imported: '{n} feeds added', importedOne: '{n} feed added', exported: 'Saved to {path}', alreadyRefreshing: 'A refresh is already running',
    keyNext: 'Next article', keyPrev: 'Previous article', keyOpen: 'Open the original in the browser',
    keyStar: 'Star or unstar', keyRead: 'Mark read or unread', keyTag: 'Add a tag', keyNote: 'Write a note',
    keySearch: 'Search', keyRefresh: 'Refresh all feeds', keyHelp: 'Show this help', keyEscape: 'Close, clear search',
    statusNew: '{n} new', statusNotModified: 'not modified', statusSkipped: 'skipped', statusFailed: 'error: {e}',
    exportSelection: 'Export…', exportHint: 'Exports the articles the list shows now (its filters).', format: 'Format',
    formatMarkdown: 'Markdown notes (Obsidian), one file per article', formatDigest: 'Briefing digest (Markdown)',
    formatCsv: 'Claims (CSV)', formatJson: 'Everything (JSON, re-importable)', formatOpml: 'Subscriptions (OPML)', exportAction: 'Export',
    highlights: 'Highlights', highlightSelection: 'Highlight the selected text', highlightNote: 'Note for this highlight (optional)',
    noHighlights: 'Select text in the article, then highlight it.', detached: 'no longer in the text',
    refreshFeed: 'Refresh this feed', renameTag: 'Rename (or merge into) tag:', deleteTag: 'Delete the tag “{tag}” from every article?', tagActions: 'Rename or delete',
  },
  fr: {
    searchPlaceholder: 'Rechercher dans toutes les langues (/)',
    refresh: 'Actualiser', addFeed: 'Ajouter un flux', importOpml: 'Importer OPML', exportOpml: 'Exporter OPML',
    alwaysLoadImages: 'Charger les images', feedAddress: 'Adresse du flux ou de la page', folder: 'Dossier',
    cancel: 'Annuler', add: 'Ajouter', close: 'Fermer', shortcuts: 'Raccourcis clavier',
    views: 'Vues', all: 'Tout', unread: 'Non lus', starred: 'Favoris', feeds: 'Flux', noFolder: 'Sans dossier',
    languages: 'Langues', themes: 'Thèmes', countries: 'Pays', tags: 'Étiquettes',
    clearFilters: 'Effacer les filtres', articles: '{n} articles', articlesOne: '{n} article', results: '{n} résultats pour « {q} »', resultsOne: '{n} résultat pour « {q} »',
    nothingHere: 'Aucun article ne correspond.', pickArticle: 'Choisissez un article pour le lire.',
    openOriginal: "Ouvrir l'original", star: 'Favori', unstar: 'Retirer des favoris', markRead: 'Marquer lu', markUnread: 'Marquer non lu',
    loadImages: 'Charger {n} images', imagesBlocked: "Les images distantes sont bloquées : elles signalent votre lecture à l'éditeur.",
    claims: 'Affirmations', noClaims: 'Aucune affirmation vérifiable.', score: 'Score', reasons: 'Raisons',
    evidence: 'Indices', confirm: 'Confirmer', reject: 'Rejeter', addTheme: 'Ajouter un thème…', addCountry: 'Ajouter un pays (ex. CN, EU)',
    confirmed: 'confirmé', rejected: 'rejeté', added: 'ajouté par vous',
    articleTags: 'Étiquettes', addTag: 'Ajouter une étiquette (t)', notes: 'Notes', notesPlaceholder: 'Vos notes, en Markdown (n)',
    saved: 'Enregistré', saving: 'Enregistrement…', removeFeed: 'Supprimer le flux', confirmRemove: 'Supprimer « {title} » ? Les articles en favori, étiquetés ou annotés sont conservés.',
    lastError: 'Dernière erreur : {e}', refreshing: 'Actualisation {done}/{total} flux…',
    refreshDone: '{feeds} flux : {new} nouveaux, {updated} mis à jour, {failed} en erreur',
    imported: '{n} flux ajoutés', importedOne: '{n} flux ajouté', exported: 'Enregistré dans {path}', alreadyRefreshing: 'Une actualisation est déjà en cours',
    keyNext: 'Article suivant', keyPrev: 'Article précédent', keyOpen: "Ouvrir l'original dans le navigateur",
    keyStar: 'Ajouter ou retirer des favoris', keyRead: 'Marquer lu ou non lu', keyTag: 'Ajouter une étiquette', keyNote: 'Écrire une note',
    keySearch: 'Rechercher', keyRefresh: 'Actualiser tous les flux', keyHelp: 'Afficher cette aide', keyEscape: 'Fermer, effacer la recherche',
    statusNew: '{n} nouveaux', statusNotModified: 'inchangé', statusSkipped: 'ignoré', statusFailed: 'erreur : {e}',
    exportSelection: 'Exporter…', exportHint: 'Exporte les articles affichés dans la liste (ses filtres).', format: 'Format',
    formatMarkdown: 'Notes Markdown (Obsidian), un fichier par article', formatDigest: 'Synthèse (Markdown)',
    formatCsv: 'Affirmations (CSV)', formatJson: 'Tout (JSON, réimportable)', formatOpml: 'Abonnements (OPML)', exportAction: 'Exporter',
    highlights: 'Surlignages', highlightSelection: 'Surligner le texte sélectionné', highlightNote: 'Note pour ce surlignage (facultatif)',
    noHighlights: "Sélectionnez du texte dans l'article, puis surlignez-le.", detached: 'absent du texte',
    refreshFeed: 'Actualiser ce flux', renameTag: "Renommer (ou fusionner) l'étiquette :", deleteTag: "Supprimer l'étiquette « {tag} » de tous les articles ?", tagActions: 'Renommer ou supprimer',
  },
};

let current = (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';

export function lang() {
  return current;
}

export function setLang(code) {
  if (strings[code]) current = code;
  document.documentElement.lang = current;
  applyStrings(document);
}

/** A string in the current language, with {placeholders} filled; when `n` is 1 a
 * singular form (the key + `One`) is used if there is one. */
export function t(key, vars = {}) {
  const singular = vars.n === 1 ? strings[current][`${key}One`] : undefined;
  const template = singular ?? strings[current][key] ?? strings.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

/** Fills elements marked data-i18n (text) and data-i18n-placeholder. */
export function applyStrings(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
}
