"""What a real browser shows, measured: the admin's pages at a phone's and a laptop's width
(the demo's admin login), boxes of elements, rows read as the eye reads them."""

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# Geometry of what a selector finds, inside a row or the page: box, clipped text, font.
BOXES = """(selector) => [...document.querySelectorAll(selector)]
  .filter(el => el.offsetParent !== null)
  .map(el => {
    const box = el.getBoundingClientRect();
    return {selector, text: (el.innerText ?? el.textContent).trim(),
            left: box.left, right: box.right, top: box.top, width: box.width, height: box.height,
            clipped: el.scrollWidth > el.clientWidth + 1,
            font: parseFloat(getComputedStyle(el).fontSize)};
  })"""

# A row as the eye reads it: each shown cell's text with the words CSS puts before it
# ("on hand after", "from", "to", "at"), which innerText leaves out.
CARD = """(row) => {
  const before = el => {
    const content = el ? getComputedStyle(el, '::before').content : 'none';
    return content && content !== 'none' && content !== 'normal' ? JSON.parse(content) : '';
  };
  return [...row.children].filter(cell => cell.offsetParent !== null)
    .map(cell => before(cell) + before(cell.firstElementChild) + cell.innerText.trim())
    .join(' ').replace(/\\s+/g, ' ');
}"""


def open_page(browser, live_server, viewport, path):
    phone = viewport == PHONE
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "inventory-demo")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{path}")
    return page


def boxes(page, selector):
    return page.evaluate(BOXES, selector)


def read_row(page, rows, **has):
    return page.locator(rows, **has).first.evaluate(CARD)


def no_sideways_scroll(page, viewport):
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] <= viewport["width"], widths


def inside_and_readable(found, viewport, *, font=12):
    assert found
    for box in found:
        assert box["text"], box
        assert box["left"] >= 0 and box["right"] <= viewport["width"], box
        assert not box["clipped"], box
        assert box["font"] >= font, box
