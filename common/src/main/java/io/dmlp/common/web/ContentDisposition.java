package io.dmlp.common.web;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * {@code Content-Disposition: attachment} for a file name a user chose (RFC 6266): a quoted ASCII fallback
 * for old clients plus the exact name as {@code filename*=UTF-8''<percent-encoded>} (RFC 8187), which every
 * current browser prefers. Whatever the name holds (CR/LF, quotes, backslashes, non-ASCII), the header stays one
 * well-formed line.
 */
public final class ContentDisposition {

    private ContentDisposition() {
    }

    public static String attachment(String fileName) {
        String name = fileName == null || fileName.isBlank() ? "download" : fileName;
        return "attachment; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + percentEncoded(name);
    }

    /** Accents dropped, then anything but printable ASCII, quotes, backslashes, slashes and '%' as '_'. */
    static String asciiFallback(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        StringBuilder fallback = new StringBuilder(plain.length());
        plain.codePoints().forEach(c -> fallback.append(c >= 0x20 && c < 0x7f && "\"\\/%".indexOf(c) < 0
                ? (char) c : '_'));
        return fallback.toString();
    }

    /** RFC 8187's attr-char kept, every other UTF-8 byte as %XX. */
    static String percentEncoded(String name) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
