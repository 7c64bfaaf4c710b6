package io.dmlp.dataset.service;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream whose bytes come in blocks: a subclass gives only the block read, and a one-byte read (which the
 * upload path never makes on purpose) goes through it.
 */
public abstract class BlockInputStream extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
