import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentText } from '../documents/document-text.ts';
import { htmlToDocument, plainTextToDocument, safeHref } from './html-to-document.ts';

const json = (v: unknown) => JSON.stringify(v);

describe('HTML to block document', () => {
  it('keeps paragraphs, headings, lists, quotes with attribution, bold/italic and safe links', () => {
    const { document } = htmlToDocument(
      '<h2>Sub</h2><p>Hello <b>bold <i>both</i></b> and <a href="https://x.test/a">a link</a>.</p><ol><li>one</li><li>two<ul><li>nested</li></ul></li></ol>' +
        '<blockquote><p>We will rebuild.</p><footer>— The Mayor</footer></blockquote><h5>Small</h5>',
    );
    assert.deepEqual(
      document.blocks.map((b) => b.type),
      ['heading', 'paragraph', 'list', 'blockquote', 'heading'],
    );
    assert.deepEqual(document.blocks[1], {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'bold ', marks: ['bold'] },
        { type: 'text', text: 'both', marks: ['bold', 'italic'] },
        { type: 'text', text: ' and ' },
        { type: 'link', href: 'https://x.test/a', content: [{ type: 'text', text: 'a link' }] },
        { type: 'text', text: '.' },
      ],
    });
    assert.deepEqual(document.blocks[2], {
      type: 'list',
      ordered: true,
      items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }], [{ type: 'text', text: 'nested' }]],
    });
    assert.deepEqual(document.blocks[3], {
      type: 'blockquote',
      content: [[{ type: 'text', text: 'We will rebuild.' }]],
      attribution: 'The Mayor',
    });
    assert.deepEqual(document.blocks[4], { type: 'heading', level: 4, content: [{ type: 'text', text: 'Small' }] });
  });

  it('neutralises hostile HTML: scripts, styles, frames, event handlers, javascript: and data: links never survive', () => {
    const hostile = [
      '<p onclick="steal()">Safe <a href="javascript:alert(1)">click</a> <a href=" JaVaScRiPt:alert(2)">two</a> <a href="data:text/html,<script>alert(3)</script>">three</a> <a href="vbscript:x">four</a></p>',
      '<script>alert("s1")</script><style>body{display:none}</style><iframe src="https://evil.test/"></iframe>',
      '<svg onload="alert(5)"><script>alert("s2")</script><text>svgtext</text></svg>',
      '<img src="x" onerror="alert(6)"><object data="evil.swf">objtext</object><embed src="e.swf">',
      '<form action="https://evil.test"><input value="inputtext"><button>Buttontext</button></form>',
      '<noscript><p>nstext</p></noscript><template><p>tpltext</p></template><!-- <script>alert(7)</script> -->',
      '<p style="background:url(javascript:alert(8))">Styled</p><math><mi>mathtext</mi></math>',
      '<div><p>Deep <span><em onmouseover="x()">ok</em></span></p></div><base href="https://evil.test/"><meta http-equiv="refresh" content="0;url=https://evil.test">',
      '<p>&lt;script&gt;alert(9)&lt;/script&gt; is just text</p>',
      '<a href="https://ok.test/" target="_blank" rel="opener" style="x">fine</a>',
    ].join('');
    const { document, notes } = htmlToDocument(hostile);
    const out = json(document);
    for (const bad of [
      'alert(1)',
      'alert(2)',
      'data:',
      'vbscript',
      's1',
      's2',
      'svgtext',
      'onerror',
      'onclick',
      'objtext',
      'inputtext',
      'Buttontext',
      'nstext',
      'tpltext',
      'alert(7)',
      'javascript',
      'style',
      'mathtext',
      'evil.test',
      'target',
      'opener',
    ]) {
      assert.ok(!out.includes(bad), `"${bad}" survived: ${out}`);
    }
    const text = documentText(document);
    assert.match(text, /^Safe click two three four$/m, 'the text of unsafe links is kept as plain text');
    assert.match(text, /^Styled$/m);
    assert.match(text, /^Deep ok$/m);
    assert.match(text, /^<script>alert\(9\)<\/script> is just text$/m, 'escaped markup stays text (the renderer escapes it again)');
    assert.match(text, /^fine$/m);
    assert.ok(out.includes('"href":"https://ok.test/"'));
    assert.ok(
      notes.some((n) => /not imported/.test(n)),
      'the dropped image is reported',
    );
  });

  it('turns figures into figure blocks only for images that were imported', () => {
    const html =
      '<figure><img src="https://cdn.test/a.jpg" alt="Alt A"><figcaption>Caption A</figcaption></figure><p>Text <img src="local.jpg"> more</p><figure><img src="https://cdn.test/missing.jpg"></figure>';
    const { document, notes } = htmlToDocument(html, {
      resolveImage: (ref) => (ref.src === 'https://cdn.test/a.jpg' ? 'img-a' : ref.src === 'local.jpg' ? 'img-b' : null),
    });
    assert.deepEqual(document.blocks, [
      { type: 'figure', imageId: 'img-a', caption: 'Caption A', alt: 'Alt A' },
      { type: 'paragraph', content: [{ type: 'text', text: 'Text more' }] },
      { type: 'figure', imageId: 'img-b' },
    ]);
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /missing\.jpg/);
  });

  it('resolves relative links against the page URL, drops them without one, and drops fragments', () => {
    assert.equal(safeHref('/world/a', 'https://news.test/x/y'), 'https://news.test/world/a');
    assert.equal(safeHref('/world/a'), null);
    assert.equal(safeHref('#top', 'https://news.test/'), null);
    assert.equal(safeHref('mailto:desk@news.test'), 'mailto:desk@news.test');
    assert.equal(safeHref('javascript:alert(1)', 'https://news.test/'), null);
  });

  it('loose text in containers becomes paragraphs; <br> splits them; whitespace collapses; empty input is an empty document', () => {
    const { document } = htmlToDocument('<div>  one\n\n  two <br> three </div><section><span>four</span></section>');
    assert.deepEqual(documentText(document).split('\n'), ['one two', 'three', 'four']);
    assert.deepEqual(htmlToDocument('').document.blocks, []);
    assert.deepEqual(htmlToDocument('<script>only</script>').document.blocks, []);
  });

  it('plain text splits into paragraphs at line breaks', () => {
    assert.deepEqual(documentText(plainTextToDocument('First para.\n\nSecond  para.\nThird.')).split('\n'), [
      'First para.',
      'Second para.',
      'Third.',
    ]);
  });

  it('survives very long text and very many blocks within the document limits', () => {
    const long = 'x'.repeat(45000);
    const { document } = htmlToDocument(`<p>${long}</p>`);
    assert.equal(documentText(document).length, 45000);
    const many = htmlToDocument('<p>a</p>'.repeat(2500));
    assert.equal(many.document.blocks.length, 2000);
    assert.ok(many.notes.some((n) => /2000/.test(n)));
  });
});
