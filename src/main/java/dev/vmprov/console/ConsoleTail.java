package dev.vmprov.console;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

import dev.vmprov.domain.DomainXml;
import dev.vmprov.libvirt.LibvirtConnection;

/**
 * The last lines of a VM's console: from the serial device's log file when this process can read it (it holds
 * everything since the domain was defined, across restarts of vmprov), otherwise from what was streamed. The
 * count defaults to {@code LIBVIRT_LOG_TAIL}; a request may ask for fewer, and asking for more is capped there.
 * The HTTP API and the CLI use this service.
 */
public class ConsoleTail {

    /** A tail: where it came from ({@code log-file}, {@code stream} or {@code none}) and its lines, oldest first. */
    public record Tail(String name, String source, String logFile, int requested, List<String> lines) {
    }

    /** A driver that keeps the console itself (the http driver's API): the last lines, or empty. */
    @FunctionalInterface
    public interface RemoteTail {
        Optional<List<String>> tail(String name, int lines);
    }

    private final LibvirtConnection connection;
    private final ConsoleHistory history;
    private final int maxLines;
    private final RemoteTail remote;

    public ConsoleTail(LibvirtConnection connection, ConsoleHistory history, int maxLines) {
        this(connection, history, maxLines, null);
    }

    public ConsoleTail(LibvirtConnection connection, ConsoleHistory history, int maxLines, RemoteTail remote) {
        this.connection = connection;
        this.history = history;
        this.maxLines = maxLines;
        this.remote = remote;
    }

    /** Empty when libvirt knows no such domain and nothing was streamed for it. */
    public Optional<Tail> tail(String name, Integer requested) {
        int count = requested == null || requested <= 0 ? maxLines : Math.min(requested, maxLines);
        if (remote != null) {
            return remote.tail(name, count).map(lines -> new Tail(name, "hypervisor-api", null, count, lines));
        }
        String logFile = null;
        boolean known = false;
        if (connection != null) {
            try {
                logFile = connection.call(c -> {
                    Domain domain;
                    try {
                        domain = c.domainLookupByName(name);
                    } catch (LibvirtException e) {
                        if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                            return null;
                        }
                        throw e;
                    }
                    try {
                        String file = serialLogFile(domain.getXMLDesc(0));
                        return file == null ? "" : file;
                    } finally {
                        domain.free();
                    }
                });
                known = logFile != null;
            } catch (LibvirtException e) {
                known = false;
            }
        }
        if (logFile != null && !logFile.isEmpty() && isLocal(connection.uri())
                && Files.isReadable(Path.of(logFile))) {
            try {
                return Optional.of(new Tail(name, "log-file", logFile, count, lastLines(Path.of(logFile), count)));
            } catch (IOException e) {
                // fall back to what was streamed
            }
        }
        List<String> streamed = history.last(name, count);
        if (!known && streamed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Tail(name, streamed.isEmpty() ? "none" : "stream",
                logFile == null || logFile.isEmpty() ? null : logFile, count, streamed));
    }

    /** The {@code <log file=...>} of the domain's first serial device, or null. */
    static String serialLogFile(String domainXml) {
        try {
            String file = (String) XPathFactory.newInstance().newXPath().evaluate(
                    "/domain/devices/serial[1]/log/@file", DomainXml.parse(domainXml), XPathConstants.STRING);
            return file == null || file.isEmpty() ? null : file;
        } catch (XPathExpressionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Only a connection to this host (no host in the URI) has its log files on this machine's disk. */
    static boolean isLocal(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host == null || host.isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The last {@code count} lines of a file, read backwards in blocks (log files can be large). */
    public static List<String> lastLines(Path file, int count) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            long start = end;
            int newlines = 0;
            byte[] block = new byte[8192];
            // a trailing newline ends the last line rather than starting an empty one
            if (end > 0) {
                raf.seek(end - 1);
                if (raf.read() == '\n') {
                    newlines = -1;
                }
            }
            while (start > 0 && newlines <= count) {
                int size = (int) Math.min(block.length, start);
                start -= size;
                raf.seek(start);
                raf.readFully(block, 0, size);
                for (int i = size - 1; i >= 0; i--) {
                    if (block[i] == '\n' && ++newlines > count) {
                        start += i + 1;
                        break;
                    }
                }
            }
            byte[] tail = new byte[(int) (end - start)];
            raf.seek(start);
            raf.readFully(tail);
            String text = new String(tail, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            lines.replaceAll(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
            return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
        }
    }
}
