package dev.vmprov.domain;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code <memoryBacking>}: {@code <nosharepages/>} keeps the host from merging the guest's pages with other
 * guests' (KSM, a side channel); {@code <locked/>} keeps them in RAM, never swapped out to host disk.
 */
public record MemoryBacking(boolean locked, boolean noSharePages) implements DomainElement {
    @Override
    public Element build(Document doc) {
        Element backing = doc.createElement("memoryBacking");
        if (noSharePages) {
            backing.appendChild(doc.createElement("nosharepages"));
        }
        if (locked) {
            backing.appendChild(doc.createElement("locked"));
        }
        return backing;
    }
}
