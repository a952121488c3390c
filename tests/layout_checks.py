"""What the layout audit looks for on a page drawn in Chromium (tests/test_layout_audit.py):
text cut by CSS, sideways scrolling, a slide taller than the screen, and words that are not
Vietnamese. Kept apart from the test so a developer can run it against any page."""

from __future__ import annotations

# Text cut by CSS: an element that clips its own overflow (hidden, clip, ellipsis) and whose
# content is wider or taller than its box. Streamlit's data grid draws on a canvas and its
# cells are checked through their accessible copy; chart internals are plotly's.
CUT_TEXT = """() => {
  const cut = [];
  // a text box cannot wrap: its value (or placeholder) must fit its width
  const ruler = document.createElement('canvas').getContext('2d');
  for (const box of document.querySelectorAll('[data-testid="stMain"] input, ' +
                                              '[data-testid="stSidebar"] input')) {
    if (['password', 'hidden', 'file', 'checkbox', 'radio'].includes(box.type)) continue;
    if (!box.getClientRects().length || box.closest('[data-testid="stDataFrame"]')) continue;
    if (box.closest('details:not([open])')) continue;  // inside a closed expander
    const text = box.value || box.placeholder;
    if (!text) continue;
    const css = getComputedStyle(box);
    ruler.font = `${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
    const room = box.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
    if (ruler.measureText(text).width > room + 1) cut.push(`input: ${text.slice(0, 80)}`);
  }
  const skip = '[data-testid="stDataFrame"], [data-testid="stDataFrameResizable"], ' +
    '.js-plotly-plot, [data-testid="stIconMaterial"], script, style, ' +
    '[data-testid="stSidebarCollapseButton"], [data-baseweb="popover"], ' +
    '[data-testid="stToolbar"], [data-testid="stDecoration"], noscript, iframe';
  for (const el of document.querySelectorAll('[data-testid="stApp"] *')) {
    if (el.closest(skip)) continue;
    if (!el.getClientRects().length) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const text = (el.innerText || '').trim();
    if (!text) continue;
    const css = getComputedStyle(el);
    if (css.fontSize === '0px') continue;  // Streamlit's English, replaced by CSS
    // text for screen readers only (1 px, clipped away): never seen, never «cut»
    if (el.offsetWidth <= 1 || css.clip === 'rect(0px, 0px, 0px, 0px)') continue;
    const clips = ['hidden', 'clip'].includes(css.overflowX) || css.textOverflow === 'ellipsis';
    const clipsY = ['hidden', 'clip'].includes(css.overflowY);
    const wide = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
    const tall = el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0;
    if ((clips && wide && (own || css.textOverflow === 'ellipsis')) ||
        (clipsY && tall && own && css.display !== 'inline')) {
      cut.push(`${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') || el.className}]: ` +
               text.slice(0, 80));
    }
  }
  return cut;
}"""

# A chart's words: inside the chart (a title or a month label cut at the edge) and clear of
# each other (point labels over point labels, the legend over the month labels).
CHART_TEXT = """() => {
  const out = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    if (!plot.getClientRects().length || plot.closest('details:not([open])')) continue;
    const svg = plot.querySelector('svg.main-svg');
    const box = (svg || plot).getBoundingClientRect();
    const words = [...plot.querySelectorAll('text')].filter(
      t => t.textContent.trim() && getComputedStyle(t).display !== 'none' &&
           getComputedStyle(t).visibility !== 'hidden' && t.getClientRects().length)
      .map(t => [t.textContent.trim(), t.getBoundingClientRect(),
                 t.closest('.xtick, .ytick') ? t.closest('.xtick, .ytick').classList[0] : ''])
      .filter(([, r]) => r.width > 0);
    for (const [w, r] of words) {
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 ||
          r.bottom > box.bottom + 1) out.push(`ngoài biểu đồ: ${w}`);
    }
    for (let i = 0; i < words.length; i++) for (let j = i + 1; j < words.length; j++) {
      const [a, p, ka] = words[i], [b, q, kb] = words[j];
      // an axis's own labels: plotly turns them aside when they crowd (their boxes, not
      // their letters, overlap when slanted)
      if (ka && ka === kb) continue;
      const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (x > 2 && y > 2) out.push(`chồng nhau: ${a} / ${b}`);
    }
  }
  return out;
}"""

# Sideways scrolling of the page itself (a wide table scrolls inside its own box, not here).
SIDEWAYS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push(`page ${doc.scrollWidth}>${doc.clientWidth}`);
  if (main && main.scrollWidth > main.clientWidth + 1)
    out.push(`main ${main.scrollWidth}>${main.clientWidth}`);
  return out;
}"""

# How far the main area scrolls down: a slide must show whole on the screen.
SCROLL = """() => { const m = document.querySelector('[data-testid="stMain"]');
  return [m.scrollHeight, m.clientHeight]; }"""

# The visible text, the data grid's cells included (its accessible table is off-screen).
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement, text = node.textContent.trim();
    if (!el || !text) continue;
    if (el.closest('[data-testid="stIconMaterial"], script, style, noscript')) continue;
    const css = getComputedStyle(el);
    if (css.fontSize === '0px' || css.visibility === 'hidden') continue;  // replaced by CSS
    const grid = el.closest('[data-testid="stDataFrame"], [data-testid="stDataFrameResizable"]');
    if (!grid && !el.getClientRects().length) continue;  // a closed expander, a tab
    out.push(text);
  }
  return out;
}"""

# Words Streamlit, plotly or a forgotten label could put on screen in English, beyond the
# list of tests/test_vietnamese_ui.py.
MORE_ENGLISH = {
    "print",
    "record",
    "screen",
    "made",
    "streamlit",
    "running",
    "stop",
    "deploy",
    "drag",
    "drop",
    "limit",
    "per",
    "browse",
    "found",
    "about",
    "rerun",
    "clear",
    "cache",
    "theme",
    "please",
    "wait",
    "connecting",
    "must",
    "smaller",
    "larger",
    "allowed",
    "remove",
    "search",
    "fullscreen",
    "zoom",
    "pan",
    "reset",
    "autoscale",
    "produced",
    "plotly",
}
DEMO_BANNER = "Đang hiển thị Dữ liệu mẫu"
