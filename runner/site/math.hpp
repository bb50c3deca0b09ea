#pragma once
// Keeps $…$ and $$…$$ math away from the markdown parser. Inside math, `_`, `*` and `\` mean
// TeX, not emphasis or escapes, so the math is cut out before cmark sees the text (replaced by
// placeholders cmark leaves alone) and put back afterwards, HTML-escaped, in elements the
// page's script typesets with KaTeX.
#include <string>
#include <string_view>
#include <vector>

namespace casebook::site {

struct MathSpan {
  std::string tex;     // what is between the dollars, as written
  std::string source;  // the whole span with its dollars, for places math cannot go
  bool display = false;
};

struct MathCut {
  std::string text;  // the markdown with each span replaced by a placeholder
  std::vector<MathSpan> spans;
  std::string nonce;  // part of every placeholder, derived from the text so that a case cannot
                      // write (e.g. as HTML entities) a placeholder of its own
};

// Finds math outside code spans and fenced code blocks. A lone `$` (as in "$5 and $10"), `\$`,
// and dollars that never close stay text. Inline math follows pandoc's rule: the opening `$`
// is not followed by a space, the closing one not preceded by a space nor followed by a digit.
// Neither kind crosses a blank line.
MathCut cut_math(std::string_view markdown);

// Puts the spans back into cmark's HTML: <span class="math inline">, and for display math
// <div class="math display"> when it is a paragraph of its own (else a span, as a <div> may
// not sit inside a <p>). Inside a tag (an image's alt text) or in code, the original text
// comes back instead.
std::string restore_math(std::string_view html, const MathCut& cut);

}  // namespace casebook::site
