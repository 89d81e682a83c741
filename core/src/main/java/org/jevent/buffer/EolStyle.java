package org.jevent.buffer;

/**
 * What ends a line for {@link EvBuffer#readLine} and {@link EvBuffer#searchEol}
 * ({@code enum evbuffer_eol_style}).
 */
public enum EolStyle {
    /**
     * {@code EVBUFFER_EOL_ANY}: any run of CR and LF characters, however long and in any
     * order, is one end of line. Fast, but ambiguous: {@code "a\r\n\r\nb"} is one line
     * {@code "a"} followed by {@code "b"} (the empty line vanishes), and a line ending in a
     * lone CR is returned even if its LF has not arrived yet.
     */
    ANY,
    /**
     * {@code EVBUFFER_EOL_CRLF}: an LF, optionally preceded by one CR. A CR not followed by
     * LF is part of the line; so {@code "a\r\r\n"} is the line {@code "a\r"}.
     */
    CRLF,
    /** {@code EVBUFFER_EOL_CRLF_STRICT}: exactly CR LF; lone CRs and LFs are line data. */
    CRLF_STRICT,
    /** {@code EVBUFFER_EOL_LF}: exactly one LF; CRs are line data. */
    LF,
    /** {@code EVBUFFER_EOL_NUL}: one NUL byte. */
    NUL
}
