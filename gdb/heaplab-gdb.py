# heaplab-gdb.py - gdb commands that read heaplab's heaps from memory.
#
# Everything here reads the inferior's memory and the library's debug
# information (struct hl_heap, lib/internal.h); nothing calls into the
# program, so the commands work on a core file as on a live process.
#
#   heaplab heaps              the heaps gdb can find (see find_heaps)
#   heaplab dump [HEAP]        the heap in hl_heap_dump's text format
#   heaplab block ADDR[, HEAP] the block ADDR falls in: its header decoded,
#                              and what ADDR is in it
#   heaplab freelist [HEAP]    the freelist, stopping at the first broken link
#   heaplab id ADDR            in a program `heaplab record` is recording:
#                              the script ID of the object at ADDR
#
# HEAP is any expression gdb can evaluate to a heap's address (`heap`,
# `&space`, `0x55550000a040`); without it, the first heap `heaplab heaps`
# lists.  Load it with `source PATH/heaplab-gdb.py`; gdb loads it by itself
# for a program linked with an installed libheaplab.so (see heaplab(3)).
#
# The block layout it decodes is lib/block.h's: one header word before
# each object,
#   63..56 check   55..48 slack   47..3 size   C=4 P=2 F=1
# and a free block's freelist node (next, prev) in its first two words.

import struct

import gdb

HEADER_SIZE = 8
TAG_FREE, PREV_FREE, TAG_CACHED = 1, 2, 4
SIZE_MASK = ((1 << 48) - 1) & ~7
MASK64 = (1 << 64) - 1
CACHE_CLASSES = 64
FITS = ["first", "next", "best", "worst", "segregated"]
ORDERS = ["lifo", "fifo", "address"]
MERGES = ["lazy", "immediate", "none"]


def read_word(addr):
    """One 64-bit word of the inferior's memory (a gdb.MemoryError if it
    cannot be read)."""
    data = gdb.selected_inferior().read_memory(addr, 8)
    return struct.unpack("<Q", bytes(data))[0]


def check_byte(b, size):
    """lib/block.h's block_check_byte: a mix of address and size."""
    x = ((b >> 3) ^ (size << 17)) & MASK64
    x = (x * 0x9E3779B97F4A7C15) & MASK64
    return (x >> 56) | 1


class Header:
    """A header word, decoded."""

    def __init__(self, b):
        self.b = b
        self.word = read_word(b)
        self.size = self.word & SIZE_MASK
        self.free = bool(self.word & TAG_FREE)
        self.prev_free = bool(self.word & PREV_FREE)
        self.cached = bool(self.word & TAG_CACHED)
        self.slack = (self.word >> 48) & 0xFF
        self.check = self.word >> 56
        self.sound = self.check == check_byte(b, self.size)


class Heap:
    """What the commands need of one struct hl_heap, read once."""

    def __init__(self, addr):
        heap_type = gdb.lookup_type("struct hl_heap")
        v = gdb.Value(addr).cast(heap_type.pointer()).dereference()
        self.addr = addr
        self.v = v
        cfg = v["cfg"]
        self.align = int(cfg["align"])
        self.fit = int(cfg["fit"])
        self.order = int(cfg["order"])
        self.merge = int(cfg["merge"])
        self.cache_on = bool(cfg["cache"])
        self.per_thread = int(cfg["heaps"]) == 1
        self.started = bool(v["started"])
        self.start = int(v["start"])
        self.first = int(v["first"])
        self.end = int(v["end"])
        self.grower_end = int(v["grower_end"])
        self.min_contents = int(v["min_contents"])
        self.min_block = int(v["min_block"])
        self.align_shift = int(v["align_shift"])

    def offset(self, p):
        return p - self.start if p else 0

    def walkable(self, b):
        """inspect.c's block_is_walkable: the walk may go on from b."""
        h = Header(b)
        return (h.sound and h.size >= self.min_contents
                and b + HEADER_SIZE + h.size <= self.end), h

    def blocks(self):
        """(address, Header) of each block, first to last; a last item
        (address, None) when the walk stops short of the end."""
        if not self.started:
            return
        b = self.first
        while b < self.end:
            try:
                ok, h = self.walkable(b)
            except gdb.MemoryError:
                ok = False
            if not ok:
                yield b, None
                return
            yield b, h
            b += HEADER_SIZE + h.size

    def node_walkable(self, n):
        b = n - HEADER_SIZE
        if (n % self.align or b < self.first or b >= self.end
                or self.end - b < self.min_block):
            return False
        try:
            ok, h = self.walkable(b)
        except gdb.MemoryError:
            return False
        return ok and h.free

    def freelist(self):
        """(node, problem) in inspect.c's order: bin after bin; problem is
        None, or why the walk stops at that node."""
        if not self.started:
            return
        most = (self.end - self.first) // self.min_block
        count = 0
        bins = self.v["bins"]
        for i in range(bins.type.range()[1] + 1):
            prev = 0
            n = int(bins[i]["head"])
            while n:
                if count >= most:
                    yield n, "more nodes than the heap can hold: a cycle"
                    return
                if not self.node_walkable(n):
                    yield n, "not the node of a free block of this heap"
                    return
                back = read_word(n + 8)
                if back != prev:
                    yield n, "its prev link (0x%x) does not point back at 0x%x" % (back, prev)
                    return
                yield n, None
                count += 1
                prev = n
                n = read_word(n)

    def cache_blocks(self):
        """Offsets of the cached blocks, as hl_heap_visit_cache walks them."""
        cache, counts = self.v["cache"], self.v["cache_count"]
        for k in range(CACHE_CLASSES):
            b, left = int(cache[k]), int(counts[k])
            size = self.min_contents + (k << self.align_shift)
            while b and left > 0:
                if b % 8 or b < self.first or b >= self.end:
                    break
                h = Header(b)
                if not (h.sound and h.cached and not h.free and h.size == size):
                    break
                yield b
                b, left = read_word(b + HEADER_SIZE), left - 1

    def remote_objects(self):
        """Blocks of the objects other threads freed, not yet taken."""
        p, count = int(self.v["remote"]), 0
        most = (self.end - self.first) // self.min_block
        while p:
            b = p - HEADER_SIZE
            if b < self.first or b >= self.end or not Header(b).sound:
                return
            yield b
            count += 1
            if count > most:
                return
            p = read_word(p)

    def dump(self):
        """The lines hl_heap_dump prints (lib/dump.c), read from memory.
        Its last line, "corrupt: WHY", comes from the walks here: a block
        walk that stops short or a broken freelist link."""
        out = ["heap align=%d fit=%s order=%s merge=%s%s%s" % (
            self.align, FITS[self.fit], ORDERS[self.order], MERGES[self.merge],
            " cache=on" if self.cache_on else "",
            " heaps=per-thread" if self.per_thread else "")]
        size = self.grower_end - self.start if self.started else 0
        out.append("size %d first %d end %d" % (
            size, self.offset(self.first) if self.started else 0,
            self.offset(self.end) if self.started else 0))
        used = [0, 0]
        free = [0, 0]
        cached = [0, 0]
        largest = 0
        corrupt = None
        for b, h in self.blocks():
            if h is None:
                corrupt = "block at %d: an unsound header" % self.offset(b)
                break
            if h.free:
                out.append("block %d free %d" % (self.offset(b), h.size))
                free = [free[0] + 1, free[1] + h.size]
                largest = max(largest, h.size)
            elif h.cached:
                out.append("block %d cached %d" % (self.offset(b), h.size))
                cached = [cached[0] + 1, cached[1] + h.size]
            else:
                out.append("block %d used %d requested %d" % (
                    self.offset(b), h.size, h.size - h.slack))
                used = [used[0] + 1, used[1] + h.size]
        nodes = []
        for n, problem in self.freelist():
            if problem:
                corrupt = corrupt or "freelist node at %d: %s" % (
                    self.offset(n - HEADER_SIZE), problem)
                break
            nodes.append(" %d" % self.offset(n - HEADER_SIZE))
        out.append("freelist" + ("".join(nodes) if nodes else " empty"))
        if self.cache_on or self.per_thread:
            c = [" %d" % self.offset(b) for b in self.cache_blocks()]
            out.append("cache" + ("".join(c) if c else " empty"))
            r = [" %d" % self.offset(b) for b in self.remote_objects()]
            out.append("remote" + ("".join(r) if r else " empty"))
        counters = self.v["counters"]

        def k(name):
            return int(counters[name])

        out.append("stats used=%d/%d free=%d/%d largest=%d requested=%d" % (
            used[0], used[1], free[0], free[1], largest,
            int(self.v["live_requested"])))
        out.append("counts allocs=%d frees=%d reallocs=%d failures=%d "
                   "grows=%d trims=%d splits=%d merges=%d" % tuple(
                       k(n) for n in ("allocs", "frees", "reallocs", "failures",
                                      "grows", "trims", "splits", "merges")))
        if self.cache_on or self.per_thread:
            out.append("cache cached=%d/%d hits=%d puts=%d flushes=%d "
                       "remote_frees=%d drains=%d" % (
                           cached[0], cached[1], k("cache_hits"), k("cache_puts"),
                           k("flushes"), k("remote_frees"), k("drains")))
        if corrupt:
            out.append("corrupt: " + corrupt)
        return out


def heap_pointer_type():
    return gdb.lookup_type("struct hl_heap").pointer()


def is_heap_pointer(t):
    t = t.strip_typedefs()
    return (t.code == gdb.TYPE_CODE_PTR
            and t.target().strip_typedefs().tag == "hl_heap")


def symbols_of_block(block):
    for sym in block:
        if sym.is_variable or sym.is_argument:
            yield sym


def find_heaps():
    """[(address, where)] of the heaps gdb can see: libheaplab-malloc's
    slots (malloc/heaps.c), then every variable of type hl_heap * in the
    selected thread's frames and in their files' globals."""
    found, seen = [], set()

    def add(addr, where):
        if addr and addr not in seen:
            seen.add(addr)
            found.append((addr, where))

    try:
        slots = gdb.parse_and_eval("heaps_slots")
        count = int(gdb.parse_and_eval("slot_count"))
        for i in range(count):
            slot = slots[i]
            if int(slot):
                add(int(slot.dereference()["heap"]), "libheaplab-malloc slot %d" % i)
    except gdb.error:
        pass
    try:
        frame = gdb.newest_frame()
    except gdb.error:
        return found
    while frame is not None:
        try:
            block = frame.block()
        except RuntimeError:
            block = None
        blocks = []
        while block is not None:
            blocks.append(block)
            block = block.superblock
        for block in blocks:
            for sym in symbols_of_block(block):
                try:
                    if not is_heap_pointer(sym.type):
                        continue
                    value = sym.value(frame) if sym.needs_frame else sym.value()
                    where = "%s in %s" % (sym.name, frame.name() or "??")
                    if block.is_global or block.is_static:
                        where = sym.name
                    add(int(value), where)
                except (gdb.error, RuntimeError):
                    continue
        frame = frame.older()
    return found


def heap_from(arg):
    """The heap an argument names, or the first one find_heaps finds."""
    if arg:
        return Heap(int(gdb.parse_and_eval(arg).cast(heap_pointer_type())))
    heaps = find_heaps()
    if not heaps:
        raise gdb.GdbError("heaplab: no heap found; name one: heaplab dump HEAP")
    return Heap(heaps[0][0])


class HeaplabCommand(gdb.Command):
    """Look at heaplab's heaps: heaplab heaps|dump|block|freelist|id."""

    def __init__(self):
        super().__init__("heaplab", gdb.COMMAND_DATA, gdb.COMPLETE_NONE, True)


class HeapsCommand(gdb.Command):
    """heaplab heaps: the heaps in the process, with where each was found."""

    def __init__(self):
        super().__init__("heaplab heaps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        heaps = find_heaps()
        if not heaps:
            gdb.write("no heaps found\n")
        for addr, where in heaps:
            try:
                h = Heap(addr)
                span = ("%#x..%#x, %d bytes" % (h.start, h.grower_end,
                                                h.grower_end - h.start)
                        if h.started else "not started")
            except gdb.error as e:
                span = "unreadable: %s" % e
            gdb.write("heap %#x (%s): %s\n" % (addr, where, span))


class DumpCommand(gdb.Command):
    """heaplab dump [HEAP]: the heap as hl_heap_dump prints it."""

    def __init__(self):
        super().__init__("heaplab dump", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        gdb.write("\n".join(heap_from(arg.strip()).dump()) + "\n")


class BlockCommand(gdb.Command):
    """heaplab block ADDR[, HEAP]: the block ADDR is in, decoded."""

    def __init__(self):
        super().__init__("heaplab block", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        addr_text, _, heap_text = arg.partition(",")
        if not addr_text.strip():
            raise gdb.GdbError("usage: heaplab block ADDR[, HEAP]")
        addr = int(gdb.parse_and_eval(addr_text).cast(
            gdb.lookup_type("unsigned long")))
        heaps = [heap_from(heap_text.strip())] if heap_text.strip() else [
            Heap(a) for a, _ in find_heaps()]
        for heap in heaps:
            if heap.started and heap.start <= addr < heap.grower_end:
                describe_address(heap, addr)
                return
        gdb.write("%#x is in no heap found (name it: heaplab block ADDR, HEAP)\n" % addr)


def describe_address(heap, addr):
    for b, h in heap.blocks():
        if h is None:
            gdb.write("the walk stops at %#x (offset %d): an unsound header "
                      "(word %#x)\n" % (b, heap.offset(b), read_word(b)))
            return
        if not b <= addr < b + HEADER_SIZE + h.size:
            continue
        kind = "free" if h.free else "cached" if h.cached else "used"
        gdb.write("block %#x (offset %d) of heap %#x: %s\n" % (
            b, heap.offset(b), heap.addr, kind))
        gdb.write("  header %#018x: size %d, F=%d P=%d C=%d, slack %d, "
                  "check %#04x (%s)\n" % (
                      h.word, h.size, h.free, h.prev_free, h.cached, h.slack,
                      h.check, "holds" if h.sound else
                      "does not hold: %#04x expected" % check_byte(b, h.size)))
        obj = b + HEADER_SIZE
        requested = h.size - h.slack
        if addr < obj:
            where = "in its header"
        elif h.free:
            where = "%d bytes into the free block's contents" % (addr - obj)
        elif h.cached:
            where = "%d bytes into a cached (freed) object" % (addr - obj)
        elif addr < obj + requested:
            where = "%d bytes into the object %#x of %d bytes" % (
                addr - obj, obj, requested)
        else:
            where = "in the slack, %d bytes after the object %#x of %d bytes" % (
                addr - obj - requested, obj, requested)
        gdb.write("  %#x is %s\n" % (addr, where))
        return
    gdb.write("%#x lies after the heap's last block\n" % addr)


class FreelistCommand(gdb.Command):
    """heaplab freelist [HEAP]: the free blocks in freelist order."""

    def __init__(self):
        super().__init__("heaplab freelist", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        heap = heap_from(arg.strip())
        count = 0
        for n, problem in heap.freelist():
            b = n - HEADER_SIZE
            if problem:
                gdb.write("broken link to %#x (offset %d): %s\n" % (
                    n, heap.offset(b), problem))
                return
            gdb.write("free %#x offset %d size %d\n" % (
                b, heap.offset(b), Header(b).size))
            count += 1
        gdb.write("%d free block%s\n" % (count, "" if count == 1 else "s"))


def recorder_table():
    """The recorder's table of live objects (malloc/record_ids.c): its
    address and its number of slots, or None when the program is not being
    recorded (libheaplab-record.so is not loaded)."""
    table = slots = None
    for name in ("table", "slots"):
        for sym in gdb.lookup_static_symbols(name):
            if sym.symtab and sym.symtab.filename.endswith("record_ids.c"):
                value = int(sym.value())
                if name == "table":
                    table = value
                else:
                    slots = value
    if table is None or slots is None:
        return None
    return table, slots


ENTRY_SIZE = 24  # struct id_entry: ptr, id, footprint


def recorded_id(ptr):
    """The ID the recorder gave the object at ptr, or None: the same
    probe as record_ids.c's (a multiplicative hash, linear probing)."""
    found = recorder_table()
    if found is None:
        raise gdb.GdbError("no recording in this program: heaplab id works "
                           "in a program run by heaplab record "
                           "(libheaplab-record.so)")
    table, slots = found
    if not table or not slots:
        return None
    h = ((ptr >> 4) * 0x9E3779B97F4A7C15) & MASK64
    i = (h >> 20) & (slots - 1)
    for _ in range(slots):
        entry = table + i * ENTRY_SIZE
        at = read_word(entry)
        if at == 0:
            return None
        if at == ptr:
            return read_word(entry + 8)
        i = (i + 1) & (slots - 1)
    return None


class IdCommand(gdb.Command):
    """heaplab id ADDR: the script ID heaplab record gave the object that
    starts at ADDR, as its recording names it (a ID SIZE ... f ID)."""

    def __init__(self):
        super().__init__("heaplab id", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: heaplab id ADDR")
        ptr = int(gdb.parse_and_eval(arg).cast(
            gdb.lookup_type("unsigned long")))
        found = recorded_id(ptr)
        if found is None:
            gdb.write("%#x is not the start of an object the recording "
                      "holds now\n" % ptr)
        else:
            gdb.write("%#x is object %d of the recording (its lines: "
                      "a %d SIZE ... f %d)\n" % (ptr, found, found, found))


HeaplabCommand()
HeapsCommand()
DumpCommand()
BlockCommand()
FreelistCommand()
IdCommand()
