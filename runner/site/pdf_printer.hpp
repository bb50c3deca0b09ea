#pragma once
// Printing rendered pages to PDF with headless Chromium (Debian's `chromium`): the page's print
// stylesheet (site/style.css, @media print) lays it out on A4, and the bytes are made
// reproducible where Chromium writes the clock into them.
#include <filesystem>
#include <string>

namespace casebook::site {

// The environment variable naming the Chromium to use instead of `chromium` on PATH.
inline constexpr const char* kChromiumVariable = "CASEBOOK_CHROMIUM";

// $CASEBOOK_CHROMIUM when set (it must be an executable file), else the first `chromium` or
// `chromium-browser` on PATH. InputError saying how to install or name one when there is none.
std::filesystem::path find_chromium();

// Prints the HTML file `page` to PDF and returns the bytes. The page's scripts run first (KaTeX
// typesets the math) and, through the `beforeprint` event, internal links lose their href so the
// PDF carries no file:// address. Chromium gets a fresh profile in a temporary folder, removed
// afterwards. Throws InputError naming the page when Chromium fails or takes over two minutes.
std::string print_to_pdf(const std::filesystem::path& chromium, const std::filesystem::path& page);

// Chromium stamps /CreationDate and /ModDate with the clock; everything else it writes depends on
// the page alone. Both dates become $SOURCE_DATE_EPOCH (the reproducible-builds convention), or
// 1970-01-01 without it, rewritten in place at the same length so the cross-reference offsets
// stay valid.
void fix_pdf_dates(std::string& pdf);

}  // namespace casebook::site
