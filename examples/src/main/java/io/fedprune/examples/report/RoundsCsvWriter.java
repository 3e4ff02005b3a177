package io.fedprune.examples.report;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.core.metrics.RoundRecord;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rounds.csv written as the run goes (DESIGN.md section 3, failure rules): each evaluated version is
 * appended and flushed when the driver reports it, so a stopped or crashed run leaves every row so
 * far. The header is the fixed columns then the first row's extra columns in their order; later
 * rows are written in that header's order (a missing extra is an empty cell, an extra the first row
 * did not have is not written). A write failure is kept, not thrown into the driver: the run goes
 * on and {@link #failure()} reports it at the end.
 */
public final class RoundsCsvWriter implements ProgressListener, Closeable {
    private final Path file;
    private Writer out;
    private SequenceWriter rows;
    private List<String> extra;
    private long written;
    private IOException failure;
    private boolean closed;

    public RoundsCsvWriter(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void onRound(RoundRecord r) {
        if (closed || failure != null) {
            return;
        }
        try {
            if (rows == null) {
                open(new ArrayList<>(r.extra().keySet()));
            }
            rows.write(cells(r));
            rows.flush();
            written++;
        } catch (IOException e) {
            failure = e;
        }
    }

    private void open(List<String> extraColumns) throws IOException {
        extra = extraColumns;
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        ResultWriter.FIXED_COLUMNS.forEach(schema::addColumn);
        extra.forEach(schema::addColumn);
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        rows = new CsvMapper().writer(schema.build()).writeValues(out);
    }

    private Map<String, Object> cells(RoundRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", r.version());
        m.put("virtual_time_s", r.virtualTimeS());
        m.put("wall_time_s", r.wallTimeS());
        m.put("test_accuracy", r.testAccuracy());
        m.put("test_loss", r.testLoss());
        m.put("bytes_up", r.bytesUp());
        m.put("bytes_down", r.bytesDown());
        for (String k : extra) {
            Double v = r.extra().get(k);
            m.put(k, v != null && v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) v.longValue() : v);
        }
        return m;
    }

    /** Rows written so far. */
    public synchronized long rowsWritten() {
        return written;
    }

    /** The first write error, or null. */
    public synchronized IOException failure() {
        return failure;
    }

    /** Closes the file after a run that ended; a run without any row still leaves a header (fixed columns). */
    public synchronized void finish() {
        if (!closed && rows == null && failure == null) {
            try {
                Files.writeString(file, String.join(",", ResultWriter.FIXED_COLUMNS) + "\n");
            } catch (IOException e) {
                failure = e;
            }
        }
        close();
    }

    /** Closes the file, if there is one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (rows != null) {
                rows.close();
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        } finally {
            closed = true;
        }
    }
}
