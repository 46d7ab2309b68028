package dev.vmprov.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;

/**
 * A tiny guest for the real-VM tests: an x86 real-mode boot sector, assembled here byte by byte, that programs
 * COM1, prints {@link #FIRST_LINE} once, then {@code vmprov console line NNN} (NNN counting from 001) every
 * 200 ms using the BIOS wait service, and halts after {@code lines} lines, so its output is bounded.
 */
public final class BootSector {

    public static final String FIRST_LINE = "VMPROV-BOOT-FIRST-LINE";
    public static final String LINE_PREFIX = "vmprov console line ";

    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Object[]> fixups = new ArrayList<>(); // {label, position, kind: "rel8"|"rel16"|"abs16"}

    private static final int ORIGIN = 0x7C00;

    private BootSector bytes(int... values) {
        for (int v : values) {
            code.write(v & 0xFF);
        }
        return this;
    }

    private BootSector label(String name) {
        labels.put(name, code.size());
        return this;
    }

    private BootSector rel8(String target) {
        fixups.add(new Object[] {target, code.size(), "rel8"});
        return bytes(0);
    }

    private BootSector rel16(String target) {
        fixups.add(new Object[] {target, code.size(), "rel16"});
        return bytes(0, 0);
    }

    private BootSector abs16(String target) {
        fixups.add(new Object[] {target, code.size(), "abs16"});
        return bytes(0, 0);
    }

    private BootSector out(int port, int value) {
        return bytes(0xBA, port & 0xFF, port >> 8, 0xB0, value, 0xEE); // mov dx,port; mov al,value; out dx,al
    }

    private BootSector text(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        code.write(b, 0, b.length);
        return this;
    }

    /** The 512-byte boot sector. */
    public static byte[] assemble(int lines) {
        if (lines < 1 || lines > 999) {
            throw new IllegalArgumentException("1 to 999 lines");
        }
        BootSector a = new BootSector();
        a.bytes(0xFA, 0x31, 0xC0, 0x8E, 0xD8, 0x8E, 0xD0, 0xBC, 0x00, 0x7C, 0xFB); // cli; ds=ss=0; sp=7c00; sti
        a.out(0x3F9, 0x00).out(0x3FB, 0x80).out(0x3F8, 0x01).out(0x3F9, 0x00) // 115200 baud
                .out(0x3FB, 0x03).out(0x3FA, 0xC7).out(0x3FC, 0x0B);        // 8N1, FIFO, DTR/RTS
        a.bytes(0xBE).abs16("first").bytes(0xE8).rel16("print");             // mov si,first; call print
        a.bytes(0xBD, lines & 0xFF, lines >> 8);                              // mov bp,lines
        a.label("loop");
        a.bytes(0xBB).abs16("digits_end");                                    // mov bx,last digit
        a.label("inc");
        a.bytes(0xFE, 0x07, 0x80, 0x3F, 0x3A).bytes(0x75).rel8("incdone");  // inc [bx]; cmp [bx],':'; jne
        a.bytes(0xC6, 0x07, 0x30, 0x4B).bytes(0xEB).rel8("inc");             // mov [bx],'0'; dec bx; jmp inc
        a.label("incdone");
        a.bytes(0xBE).abs16("line").bytes(0xE8).rel16("print");              // mov si,line; call print
        a.bytes(0xB4, 0x86, 0xB9, 0x03, 0x00, 0xBA, 0x40, 0x0D, 0xCD, 0x15); // wait 200000 us (int 15h, ah=86h)
        a.bytes(0x4D).bytes(0x75).rel8("loop");                              // dec bp; jnz loop
        a.label("halt");
        a.bytes(0xFA, 0xF4).bytes(0xEB).rel8("halt");                        // cli; hlt; jmp halt
        a.label("print");
        a.bytes(0xAC, 0x84, 0xC0).bytes(0x74).rel8("done");                 // lodsb; test al,al; jz done
        a.bytes(0x88, 0xC4, 0xBA, 0xFD, 0x03);                               // mov ah,al; mov dx,3fd
        a.label("wait");
        a.bytes(0xEC, 0xA8, 0x20).bytes(0x74).rel8("wait");                 // in al,dx; test al,20h; jz wait
        a.bytes(0xBA, 0xF8, 0x03, 0x88, 0xE0, 0xEE).bytes(0xEB).rel8("print"); // mov dx,3f8; mov al,ah; out
        a.label("done");
        a.bytes(0xC3);                                                       // ret
        a.label("first");
        a.text(FIRST_LINE + "\r\n").bytes(0);
        a.label("line");
        a.text(LINE_PREFIX + "00");
        a.label("digits_end");
        a.text("0\r\n").bytes(0);
        return a.link();
    }

    private byte[] link() {
        byte[] sector = new byte[512];
        byte[] body = code.toByteArray();
        if (body.length > 510) {
            throw new IllegalStateException("boot sector too long: " + body.length);
        }
        System.arraycopy(body, 0, sector, 0, body.length);
        for (Object[] f : fixups) {
            int target = labels.get((String) f[0]);
            int at = (Integer) f[1];
            switch ((String) f[2]) {
                case "rel8" -> {
                    int rel = target - (at + 1);
                    if (rel < -128 || rel > 127) {
                        throw new IllegalStateException("jump too far to " + f[0]);
                    }
                    sector[at] = (byte) rel;
                }
                case "rel16" -> {
                    int rel = target - (at + 2);
                    sector[at] = (byte) rel;
                    sector[at + 1] = (byte) (rel >> 8);
                }
                default -> {
                    int abs = ORIGIN + target;
                    sector[at] = (byte) abs;
                    sector[at + 1] = (byte) (abs >> 8);
                }
            }
        }
        sector[510] = 0x55;
        sector[511] = (byte) 0xAA;
        return sector;
    }

    /** A 1 MiB raw disk image whose first sector is the boot sector. */
    public static void writeImage(Path path, int lines) throws IOException {
        byte[] image = new byte[1024 * 1024];
        System.arraycopy(assemble(lines), 0, image, 0, 512);
        Files.createDirectories(path.getParent());
        Files.write(path, image);
    }

    public static void main(String[] args) throws IOException {
        writeImage(Path.of(args[0]), Integer.parseInt(args[1]));
    }
}
