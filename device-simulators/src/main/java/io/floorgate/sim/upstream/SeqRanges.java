package io.floorgate.sim.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of sequence numbers kept as closed ranges, so a consumer's memory grows with the number of gaps, not the
 * number of messages. Not thread-safe: its owner ({@link StoreTally}) guards it.
 */
final class SeqRanges {

    /** first -> last, disjoint and not adjacent (adjacent ranges are merged). */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private long count;

    /** Adds [first, last]; what is already in the set is not counted twice. */
    void add(long first, long last) {
        if (first > last) {
            throw new IllegalArgumentException("empty range " + first + ".." + last);
        }
        Map.Entry<Long, Long> before = ranges.floorEntry(first);
        long from = before != null && before.getValue() >= first - 1 ? before.getKey() : first;
        long to = last;
        // absorbs every range that starts inside [from, to + 1], the one before included; "key - 1 <= to" rather
        // than "key <= to + 1", which would overflow at Long.MAX_VALUE
        for (Map.Entry<Long, Long> r = ranges.ceilingEntry(from); r != null && r.getKey() - 1 <= to;
             r = ranges.ceilingEntry(from)) {
            to = Math.max(to, r.getValue());
            remove(r);
        }
        ranges.put(from, to);
        count += to - from + 1;
    }

    /** Removes one number; false when it was not in the set. */
    boolean remove(long n) {
        Map.Entry<Long, Long> holder = ranges.floorEntry(n);
        if (holder == null || holder.getValue() < n) {
            return false;
        }
        long first = holder.getKey();
        long last = holder.getValue();
        remove(holder);
        if (first < n) {
            ranges.put(first, n - 1);
            count += n - first;
        }
        if (n < last) {
            ranges.put(n + 1, last);
            count += last - n;
        }
        return true;
    }

    /** How many numbers the set holds. */
    long count() {
        return count;
    }

    /** How many numbers this set and {@code other} both hold. */
    long overlap(SeqRanges other) {
        long both = 0;
        for (Map.Entry<Long, Long> r : ranges.entrySet()) {
            Map.Entry<Long, Long> o = other.ranges.floorEntry(r.getKey());
            Long from = o != null && o.getValue() >= r.getKey() ? o.getKey() : other.ranges.ceilingKey(r.getKey());
            if (from == null) {
                continue;
            }
            for (Map.Entry<Long, Long> s : other.ranges.tailMap(from, true).entrySet()) {
                if (s.getKey() > r.getValue()) {
                    break;
                }
                both += Math.min(r.getValue(), s.getValue()) - Math.max(r.getKey(), s.getKey()) + 1;
            }
        }
        return both;
    }

    /** The ranges, lowest first, as "first..last" (or "n" for one number). */
    List<String> spelled() {
        List<String> out = new ArrayList<>();
        ranges.forEach((first, last) -> out.add(first.equals(last) ? Long.toString(first) : first + ".." + last));
        return out;
    }

    private void remove(Map.Entry<Long, Long> range) {
        ranges.remove(range.getKey());
        count -= range.getValue() - range.getKey() + 1;
    }
}
