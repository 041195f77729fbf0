// The article editor in French: the toolbar's labels and titles, the dialogs'
// words, and French spell-checking in the text. The editor writes its toolbar
// in English and redraws parts of it as the cursor moves: every change to a
// toolbar is translated again. In another admin language the editor keeps its
// own (English) words.
(function () {
  "use strict";
  if (!(document.documentElement.lang || "").startsWith("fr")) return;

  const WORDS = {
    "paragraph": "Paragraphe",
    "heading 2": "Intertitre",
    "heading 3": "Sous-intertitre",
    "unordered list": "Liste à puces",
    "ordered list": "Liste numérotée",
    "list properties": "Propriétés de la liste",
    "blockquote": "Citation",
    "horizontal rule": "Ligne de séparation",
    "bold": "Gras",
    "italic": "Italique",
    "strike": "Barré",
    "underline": "Souligné",
    "subscript": "Indice",
    "superscript": "Exposant",
    "insert link": "Insérer un lien",
    "remove link": "Retirer le lien",
    "undo": "Annuler la dernière modification",
    "redo": "Rétablir",
    "edit html": "Modifier le HTML",
    "toggle fullscreen": "Plein écran",
    // Dialogs (the editor asks gettext for these).
    "prettify": "Mettre en forme",
    "url": "Adresse",
    "title": "Titre",
    "open in new window": "Ouvrir dans une nouvelle fenêtre",
    "edit link": "Modifier le lien",
    "update": "Mettre à jour",
    "insert": "Insérer",
    "cancel": "Annuler",
    "decimal numbers": "Chiffres",
    "lowercase letters": "Lettres minuscules",
    "uppercase letters": "Lettres majuscules",
    "lowercase roman numerals": "Chiffres romains minuscules",
    "uppercase roman numerals": "Chiffres romains majuscules",
    "bullets": "Puces",
    "start at": "Commencer à",
    "list type": "Type de liste",
  };

  function french(text) {
    return WORDS[(text || "").trim().toLowerCase()];
  }

  // The editor's dialogs call gettext (the admin's catalog, loaded before).
  const adminGettext = window.gettext || ((text) => text);
  window.gettext = function (text) {
    const translated = adminGettext(text);
    return translated === text ? french(text) || text : translated;
  };

  function translate(root) {
    root.querySelectorAll("[title], [aria-label]").forEach((element) => {
      for (const name of ["title", "aria-label"]) {
        const word = french(element.getAttribute(name));
        if (word) element.setAttribute(name, word);
      }
    });
    root.querySelectorAll(".prose-menubar__option > *").forEach((label) => {
      const word = french(label.textContent);
      if (word) label.textContent = word;
    });
  }

  // The toolbar is drawn after the editor is ready, and redrawn: watch its box.
  function watch(wrapper) {
    const translateMenus = () => wrapper.querySelectorAll(".prose-menubar").forEach(translate);
    translateMenus();
    new MutationObserver(translateMenus).observe(wrapper, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["title", "aria-label"],
    });
  }

  document.addEventListener("prose-editor:ready", (event) => {
    const editor = event.detail.editor;
    const wrapper = event.detail.textarea.closest(".prose-editor") || document;
    watch(wrapper);
    // The text is French: the browser checks its spelling as one types.
    editor.setOptions({
      editorProps: {
        ...editor.options.editorProps,
        attributes: { spellcheck: "true", lang: "fr" },
      },
    });
    editor.view.dom.setAttribute("spellcheck", "true");
    editor.view.dom.setAttribute("lang", "fr");
  });
})();
