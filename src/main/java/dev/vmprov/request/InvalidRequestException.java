package dev.vmprov.request;

import java.util.List;

/** A request that can never succeed as sent: it goes to the dead-letter topic with every problem found. */
public class InvalidRequestException extends RuntimeException {

    private final List<String> problems;

    public InvalidRequestException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
