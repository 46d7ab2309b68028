package dev.vmprov.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.vmprov.config.ConsoleSource;
import dev.vmprov.config.GpuPolicy;
import dev.vmprov.config.PciAddress;
import dev.vmprov.config.Problems;

/**
 * The allocator under concurrent creates. "Defining" a domain is simulated by a shared map that the scan reads
 * (the end-to-end test does the same through libvirt). The PCI addresses are FAKE: there is no GPU here.
 */
class ResourceAllocatorTest {

    private static final List<PciAddress> DEVICES = List.of("0000:65:00.0", "0000:66:00.0", "0000:b3:00.0",
            "0000:b4:00.0").stream().map(a -> PciAddress.parse(a).orElseThrow()).toList();

    @Test
    void concurrentCreatesNeverGetTheSameGpuOrPort() throws Exception {
        Problems problems = new Problems();
        ConsoleSource tcp = ConsoleSource.parse("{\"type\":\"tcp\",\"ports\":\"30000-30009\"}", problems);
        ResourceAllocator allocator = new ResourceAllocator(new GpuPolicy(true, DEVICES), tcp);
        Map<PciAddress, String> definedGpus = new ConcurrentHashMap<>();
        Map<Integer, String> definedPorts = new ConcurrentHashMap<>();
        AtomicInteger unavailable = new AtomicInteger();
        int creates = 40;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < creates; i++) {
            String vm = "vm-" + i;
            futures.add(pool.submit(() -> {
                go.await();
                try {
                    ResourceAllocator.Reservation r = allocator.reserve(vm, 1,
                            () -> new DomainInventory(Map.copyOf(definedGpus), Map.copyOf(definedPorts)));
                    Thread.sleep(2); // the define takes a moment
                    for (PciAddress gpu : r.gpus()) {
                        String previous = definedGpus.putIfAbsent(gpu, vm);
                        assertThat(previous).as("%s given to %s while %s holds it", gpu, vm, previous).isNull();
                    }
                    assertThat(definedPorts.putIfAbsent(r.consolePort(), vm)).isNull();
                    allocator.release(r);
                } catch (ResourceAllocator.Unavailable e) {
                    unavailable.incrementAndGet();
                    assertThat(e.getMessage()).contains("only 0 of 4 are free").contains("held by vm-");
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(definedGpus).hasSize(4);
        assertThat(unavailable.get()).isEqualTo(creates - 4);
    }

    @Test
    void aDisabledPolicyRefusesGpusWithAReason() {
        ResourceAllocator allocator = new ResourceAllocator(GpuPolicy.DISABLED, ConsoleSource.PTY);
        Exception e = org.assertj.core.api.Assertions.catchException(() -> allocator.reserve("vm", 2,
                () -> { throw new AssertionError("no scan needed"); }));
        assertThat(e).isInstanceOf(ResourceAllocator.Unavailable.class)
                .hasMessageContaining("asks for 2 GPU(s) but GPU passthrough is disabled");
    }

    @Test
    void portsRunOutWithAReason() throws Exception {
        Problems problems = new Problems();
        ConsoleSource tcp = ConsoleSource.parse("{\"type\":\"tcp\",\"ports\":\"30000-30001\"}", problems);
        ResourceAllocator allocator = new ResourceAllocator(GpuPolicy.DISABLED, tcp);
        DomainInventory none = new DomainInventory(Map.of(), Map.of());
        assertThat(allocator.reserve("a", 0, () -> none).consolePort()).isEqualTo(30000);
        assertThat(allocator.reserve("b", 0, () -> none).consolePort()).isEqualTo(30001);
        Exception e = org.assertj.core.api.Assertions.catchException(() -> allocator.reserve("c", 0, () -> none));
        assertThat(e).hasMessageContaining("no free console port left in 30000-30001");
    }
}
