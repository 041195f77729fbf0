// Suggestions as you type, for every search box that asks for them
// (input[data-suggest-url]: the header's and the search page's). Each becomes an
// ARIA 1.2 combobox with a list box popup: Down and Up move through the
// suggestions, Enter searches the chosen one, Escape closes the list, and a click
// or a tap chooses too. Progressive enhancement: the forms work without it.
(function () {
  "use strict";
  if (!window.fetch || !window.AbortController) return;

  const DELAY = 150; // ms after the last key before asking the server
  const MIN_LENGTH = 2; // the server answers nothing below this

  // Pairs of straight double quotes shown as the page's language writes them.
  function typographicQuotes(text) {
    const french = document.documentElement.lang === "fr";
    return text.replace(/"\s*([^"]*?)\s*"/g, (match, inner) =>
      french ? "«\u00a0" + inner + "\u00a0»" : "\u201c" + inner + "\u201d"
    );
  }

  function enhance(input) {
    if (input.getAttribute("role") === "combobox") return;
    const wrapper = document.createElement("span");
    wrapper.className = "combobox";
    const list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.suggestLabel || "Suggestions");
    list.hidden = true;
    const status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.before(wrapper);
    wrapper.append(input, list, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    let timer = null;
    let asked = "";
    let pending = null;
    let active = -1;

    function options() {
      return Array.from(list.children);
    }

    function open() {
      if (!list.children.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = input.dataset.suggestHint || "";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      status.textContent = "";
      highlight(-1);
    }

    function highlight(index) {
      const items = options();
      active = index;
      items.forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function move(step) {
      const count = list.children.length;
      if (!count) return;
      if (list.hidden) {
        open();
        highlight(step > 0 ? 0 : count - 1);
        return;
      }
      highlight(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
    }

    function choose(item) {
      input.value = item.dataset.value;
      close();
      if (input.form) input.form.requestSubmit();
    }

    function show(values) {
      list.replaceChildren(
        ...values.map((value, i) => {
          const item = document.createElement("li");
          item.id = list.id + "-" + i;
          item.setAttribute("role", "option");
          item.setAttribute("aria-selected", "false");
          item.dataset.value = typographicQuotes(value);
          item.textContent = item.dataset.value;
          return item;
        })
      );
      active = -1;
      if (values.length && document.activeElement === input) open();
      else close();
    }

    function suggest() {
      const text = input.value.trim();
      if (text === asked) return;
      asked = text;
      if (pending) pending.abort();
      if (text.length < MIN_LENGTH) {
        show([]);
        return;
      }
      pending = new AbortController();
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text), {
        signal: pending.signal,
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => show(data.results || []))
        .catch(() => {});
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowDown") {
        open();
        event.preventDefault();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        move(event.key === "ArrowDown" ? 1 : -1);
        event.preventDefault();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        choose(options()[active]);
        event.preventDefault();
      } else if (event.key === "Escape" && !list.hidden) {
        close(); // and keep the text: a search box would clear it on Escape
        event.preventDefault();
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", close);
    // Keep the focus in the box while the pointer is down on a suggestion.
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", function (event) {
      const item = event.target.closest("[role=option]");
      if (item) choose(item);
    });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(enhance);
})();
