package dev.vmprov.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineAssemblerTest {

    private final List<String> lines = new ArrayList<>();
    private final LineAssembler assembler = new LineAssembler(16, lines::add);

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assembler.feed(b, b.length);
    }

    @Test
    void bytesBecomeLinesAcrossChunksWithCarriageReturnsDropped() {
        feed("first li");
        feed("ne\r\nsecond\n\nthi");
        assertThat(lines).containsExactly("first line", "second", "");
        assembler.flushPartial();
        assertThat(lines).containsExactly("first line", "second", "", "thi");
        feed("rd\n");
        assertThat(lines).last().isEqualTo("rd");
    }

    @Test
    void aLongLineIsCutWithoutSplittingACharacter() {
        feed("abcdefghijklmnoé and more\n"); // é is two bytes at positions 15-16
        assertThat(lines).containsExactly("abcdefghijklmno", "é and more");
    }

    @Test
    void invalidUtf8IsReplacedAndAPartialCharacterWaitsForItsRest() {
        assembler.feed(new byte[] {'a', (byte) 0xFF, 'b', '\n'}, 4);
        assertThat(lines).containsExactly("a\uFFFDb");
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assembler.feed(euro, 1);
        assembler.flushPartial();
        assertThat(lines).hasSize(1); // nothing complete to flush yet
        assembler.feed(new byte[] {euro[1], euro[2], '\n'}, 3);
        assertThat(lines).containsExactly("a\uFFFDb", "€");
    }

    @Test
    void aPartialLineIsFlushedOnlyAfterTheIdleDelay() throws Exception {
        feed("prompt> ");
        assembler.flushIfIdle(10_000_000_000L);
        assertThat(lines).isEmpty();
        Thread.sleep(20);
        assembler.flushIfIdle(10_000_000L);
        assertThat(lines).containsExactly("prompt> ");
    }

    @Test
    void theTailOfALogFileIsReadBackwards() throws Exception {
        Path file = Files.createTempFile("serial", ".log");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            text.append("line ").append(i).append("\r\n");
        }
        Files.writeString(file, text);
        assertThat(ConsoleTail.lastLines(file, 3)).containsExactly("line 4998", "line 4999", "line 5000");
        Files.writeString(file, "only\npartial");
        assertThat(ConsoleTail.lastLines(file, 5)).containsExactly("only", "partial");
        Files.writeString(file, "");
        assertThat(ConsoleTail.lastLines(file, 5)).isEmpty();
    }

    @Test
    void onlyLocalUrisHaveTheirLogFilesOnThisDisk() {
        assertThat(ConsoleTail.isLocal("qemu:///system")).isTrue();
        assertThat(ConsoleTail.isLocal("test:///default")).isTrue();
        assertThat(ConsoleTail.isLocal("qemu+ssh://root@host/system")).isFalse();
    }
}
