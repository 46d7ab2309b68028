package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.DocumentFragment;
import org.w3c.dom.Element;

import dev.vmprov.config.ConsoleSource;

/**
 * {@code <serial>} on port 0 with its {@code <console>}: the guest's console, of the type chosen by
 * {@code LIBVIRT_CONSOLE_SOURCE}, always logged to a file (append) so its history survives reconnects.
 * {@code tcpPort} is the port given to this VM when the source is {@code tcp}.
 */
public record Serial(ConsoleSource source, String vmName, int tcpPort) implements DomainElement {

    @Override
    public DocumentFragment build(Document doc) {
        String type = source.type().name().toLowerCase(java.util.Locale.ROOT);
        Element serial = Xml.empty(doc, "serial", "type", type);
        switch (source.type()) {
            case PTY -> { }
            case TCP -> serial.appendChild(Xml.empty(doc, "source", "mode", "bind", "host", source.host(),
                    "service", Integer.toString(tcpPort)));
            case UNIX -> serial.appendChild(Xml.empty(doc, "source", "mode", "bind", "path",
                    source.pathFor(vmName)));
            case FILE -> serial.appendChild(Xml.empty(doc, "source", "path", source.pathFor(vmName)));
        }
        if (source.type() == ConsoleSource.Type.TCP) {
            serial.appendChild(Xml.empty(doc, "protocol", "type", "raw"));
        }
        serial.appendChild(Xml.empty(doc, "log", "file", source.logFileFor(vmName), "append", "on"));
        serial.appendChild(Xml.empty(doc, "target", "port", "0"));

        Element console = Xml.empty(doc, "console", "type", type);
        console.appendChild(Xml.empty(doc, "target", "type", "serial", "port", "0"));

        DocumentFragment both = doc.createDocumentFragment();
        both.appendChild(serial);
        both.appendChild(console);
        return both;
    }
}
