package dev.vmprov.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.Test;

import dev.vmprov.config.Credentials;
import dev.vmprov.config.Secret;

class PasswordSourceTest {

    @Test
    void theFileWinsOverTheVariableAndIsReReadThroughASwappedSymlink() throws Exception {
        Path dir = Files.createTempDirectory("pw");
        Files.writeString(dir.resolve("one"), "first\n");
        Files.writeString(dir.resolve("two"), "second\r\n");
        Path link = dir.resolve("password");
        Files.createSymbolicLink(link, dir.resolve("one"));
        PasswordSource source = new PasswordSource(new Credentials("ops", new Secret("from-env"), link));
        assertThat(new String(source.current().reveal())).isEqualTo("first");

        Path next = dir.resolve("next");
        Files.createSymbolicLink(next, dir.resolve("two"));
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(source.reload()).contains("the password changed").doesNotContain("second");
        assertThat(new String(source.current().reveal())).isEqualTo("second");
        assertThat(source.reload()).contains("unchanged");
    }

    @Test
    void aMissingFileOnReloadKeepsThePreviousPassword() throws Exception {
        Path file = Files.createTempFile("pw", ".txt");
        Files.writeString(file, "kept-secret");
        PasswordSource source = new PasswordSource(new Credentials("ops", null, file));
        Files.delete(file);
        assertThat(source.reload()).contains("cannot be read (NoSuchFileException); keeping the previous password")
                .doesNotContain("kept-secret");
        assertThat(new String(source.current().reveal())).isEqualTo("kept-secret");
    }

    @Test
    void withoutAFileTheVariableIsUsed() {
        PasswordSource source = new PasswordSource(new Credentials("ops", new Secret("from-env"), null));
        assertThat(new String(source.current().reveal())).isEqualTo("from-env");
        assertThat(source.reload()).contains("no LIBVIRT_PASSWORD_FILE is set");
        assertThat(new Secret("from-env").toString()).isEqualTo("******");
    }
}
