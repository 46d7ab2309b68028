package dev.vmprov.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The last lines streamed from each VM's console, for a tail when the serial log file cannot be read. */
public class ConsoleHistory {

    private final int capacity;
    private final Map<String, Deque<String>> lines = new ConcurrentHashMap<>();

    public ConsoleHistory(int capacity) {
        this.capacity = capacity;
    }

    public void add(String vmName, String line) {
        Deque<String> deque = lines.computeIfAbsent(vmName, n -> new ArrayDeque<>());
        synchronized (deque) {
            deque.addLast(line);
            while (deque.size() > capacity) {
                deque.removeFirst();
            }
        }
    }

    public List<String> last(String vmName, int count) {
        Deque<String> deque = lines.get(vmName);
        if (deque == null) {
            return List.of();
        }
        synchronized (deque) {
            List<String> all = new ArrayList<>(deque);
            return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
        }
    }
}
