import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {chromium, type Browser, type Page} from "playwright-core";
import {renderMarkdown, sanitizeConfig} from "../../src-renderer/lib/markdown.ts";

test("code fences are highlighted by language, with a copy button; unknown languages are escaped text", () => {
    const html = renderMarkdown("Try this:\n\n```ts\nconst x: number = 1 < 2 ? 3 : 4;\n```\n");
    assert.match(html, /<code class="hljs language-ts">/);
    assert.match(html, /<span class="hljs-keyword">const<\/span>/);
    assert.match(html, /<button type="button" class="copy-code" aria-label="Copy code">Copy<\/button>/);
    assert.match(html, /<span class="hljs-number">1<\/span> &lt; <span class="hljs-number">2<\/span>/);
    const unknown = renderMarkdown("```brainfuck\n<>+-\n```");
    assert.match(unknown, /<code class="hljs">&lt;&gt;\+-<\/code>/);
    // A fence still open while the answer streams renders as code, not as raw text; the streaming tail is left uncoloured.
    assert.match(renderMarkdown("```python\ndef f():\n    return 1"), /<span class="hljs-keyword">def<\/span>/);
    assert.match(
        renderMarkdown("```python\ndef f():\n    return 1", {highlight: false}),
        /<code class="hljs language-python">def f\(\):\n    return 1<\/code>/
    );
});

test("raw HTML in an answer is shown as text, images as their alt text (nothing remote is loaded)", () => {
    const html = renderMarkdown("Hi <script>alert(1)</script> and <img src=x onerror=alert(1)>\n\n![a cat](https://example.com/cat.png)");
    assert.doesNotMatch(html, /<script|<img/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /\[image: a cat\]/);
    assert.doesNotMatch(html, /example\.com/);
    assert.match(renderMarkdown("a\nb"), /a<br>b/, "single newlines are kept");
});

// The sanitizer runs in a real Chromium with DOMPurify's own browser build and our allow-list.
let browser: Browser;
let page: Page;
before(async () => {
    browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    });
    page = await browser.newPage();
    const purify = readFileSync(createRequire(import.meta.url).resolve("dompurify/dist/purify.min.js"), "utf8");
    await page.addScriptTag({content: purify});
});
after(async () => {
    await browser?.close();
});

async function sanitize(html: string): Promise<string> {
    const config = {...sanitizeConfig, ALLOWED_URI_REGEXP: sanitizeConfig.ALLOWED_URI_REGEXP.source};
    return page.evaluate(
        ([input, cfg]) => {
            const {ALLOWED_URI_REGEXP, ...rest} = cfg as typeof config;
            const purify = (window as unknown as {DOMPurify: {sanitize(html: string, options: object): string}}).DOMPurify;
            return purify.sanitize(input as string, {...rest, ALLOWED_URI_REGEXP: new RegExp(ALLOWED_URI_REGEXP, "i")});
        },
        [html, config] as const
    );
}

test("in Chromium, sanitised answers keep formatting and code blocks and lose every script route", async () => {
    const rendered = renderMarkdown(
        [
            "**bold** [ok](https://example.org) [bad](javascript:alert(1)) [data](data:text/html,<b>x</b>)",
            "",
            "| a | b |",
            "|---|---|",
            "| 1 | 2 |",
            "",
            "```js\nlet a = 1;\n```"
        ].join("\n")
    );
    const safe = await sanitize(rendered);
    assert.match(safe, /<strong>bold<\/strong>/);
    assert.match(safe, /<a href="https:\/\/example.org">ok<\/a>/);
    assert.doesNotMatch(safe, /javascript:|data:text/);
    assert.match(safe, /<table>/);
    assert.match(safe, /<button[^>]* class="copy-code" aria-label="Copy code">Copy<\/button>/);
    assert.match(safe, /<span class="hljs-keyword">let<\/span>/);
    // Even HTML that never came from the renderer loses handlers, styles, images and frames.
    const hostile = await sanitize(
        '<p onclick="x()" style="color:red">t</p><img src=x onerror=alert(1)><iframe src="https://e.org"></iframe><svg><script>1</script></svg><a href="#" data-x="1">l</a>'
    );
    assert.equal(hostile, '<p>t</p><a href="#">l</a>');
});
