// The editor's display of photos: the PhotoReference node, and what the server
// says of each photo (shared with the chooser, photos/chooser.js).
//
// An ES module under one URL (so run once): the prose editor loads it for its
// PhotoReference node (articles/forms.py lists it among the editor's modules),
// and the chooser imports it by the name "photos/photo-reference" (the change
// form's import map).
//
// PhotoReference: a photo in the body, stored as the reference
// <figure data-photo="12"></figure>, shown in the editor as the photo with its
// credit. It also reads a paragraph holding nothing but a marker, <p>[photo:12]</p>
// (what the server gives the editor), and stores it as the reference.
import { Node } from "django-prose-editor/editor";

const MARKER = /^\s*\[\s*photo\s*:?\s*(\d+)\s*\]\s*$/i;

// What the server says of each photo (photos/chooser.py, info_view), asked for in
// batches: a body's photos cost one request.
const infoCache = new Map();
let queue = new Map();
let queueUrl = "";
let timer = null;

export function photoInfo(url, id) {
  const key = String(id);
  if (!infoCache.has(key)) {
    infoCache.set(
      key,
      new Promise((resolve, reject) => {
        queue.set(key, { resolve, reject });
        queueUrl = url;
        clearTimeout(timer);
        timer = setTimeout(flush, 0);
      }),
    );
  }
  return infoCache.get(key);
}

async function flush() {
  const batch = queue;
  queue = new Map();
  const ids = [...batch.keys()];
  for (let start = 0; start < ids.length; start += 100) {
    const chunk = ids.slice(start, start + 100);
    try {
      const response = await fetch(`${queueUrl}?ids=${chunk.join(",")}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      chunk.forEach((id) => batch.get(id).resolve(data.photos[id] || null));
    } catch (error) {
      chunk.forEach((id) => {
        infoCache.delete(id);
        batch.get(id).reject(error);
      });
    }
  }
}

export function remember(card) {
  infoCache.set(String(card.id), Promise.resolve(card));
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function format(template, value) {
  return (template || "%s").replace("%s", value);
}

// The photo as the editor shows it: picture, credit, title and marker, flags.
function drawReference(dom, id, card, labels, state) {
  dom.replaceChildren();
  dom.dataset.state = state;
  dom.setAttribute("aria-label", format(labels.photo, id));
  const frame = element("div", "photo-reference__frame");
  if (card && card.thumb) {
    const img = element("img");
    img.src = card.thumb;
    img.alt = card.alt || "";
    frame.append(img);
  } else {
    frame.append(element("span", "photo-reference__nothumb", labels.noPreview));
  }
  const caption = element("figcaption");
  if (state === "ready") {
    caption.append(element("span", "photo-reference__credit", card.credit || labels.noCredit));
    caption.append(element("span", "photo-reference__title", card.title));
  } else {
    const text = { loading: labels.loading, missing: labels.missing }[state] || labels.failed;
    caption.append(element("span", "photo-reference__status", text));
  }
  caption.append(element("code", "photo-reference__marker", `[photo:${id}]`));
  const flags = (card && card.flags) || [];
  if (flags.length) {
    const list = element("ul", "photo-reference__flags");
    flags.forEach((flag) => list.append(element("li", "", flag)));
    caption.append(list);
  }
  dom.append(frame, caption);
}

export const PhotoReference = Node.create({
  name: "photoReference",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addOptions() {
    return { infoUrl: "", labels: {} };
  },

  addAttributes() {
    return {
      photo: {
        default: null,
        parseHTML: (node) => node.getAttribute("data-photo"),
        renderHTML: (attributes) => ({ "data-photo": attributes.photo }),
      },
    };
  },

  parseHTML() {
    return [
      {
        tag: "figure[data-photo]",
        getAttrs: (node) => (/^\d+$/.test(node.getAttribute("data-photo") || "") ? {} : false),
      },
      {
        // Before the paragraph's own rule: a paragraph holding only a marker.
        tag: "p",
        priority: 60,
        getAttrs: (node) => {
          const match = MARKER.exec(node.textContent || "");
          return match ? { photo: match[1] } : false;
        },
      },
    ];
  },

  renderHTML({ node }) {
    return ["figure", { "data-photo": node.attrs.photo }];
  },

  addNodeView() {
    const { infoUrl, labels } = this.options;
    return ({ node }) => {
      const dom = element("figure", "photo-reference");
      dom.contentEditable = "false";
      let current = null;
      const show = (id) => {
        current = id;
        dom.dataset.photo = id;
        drawReference(dom, id, null, labels, "loading");
        photoInfo(infoUrl, id).then(
          (card) => current === id && drawReference(dom, id, card, labels, card ? "ready" : "missing"),
          () => current === id && drawReference(dom, id, null, labels, "failed"),
        );
      };
      show(String(node.attrs.photo));
      return {
        dom,
        update(updated) {
          if (updated.type !== node.type) return false;
          if (String(updated.attrs.photo) !== current) show(String(updated.attrs.photo));
          return true;
        },
        ignoreMutation: () => true,
      };
    };
  },
});
