package io.bulwark.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replication slot settings of the dynamic configuration (reference §2.7, §4.3), parsed here only.
 *
 * @param permanent      {@code slots} (aliases {@code permanent_slots}, {@code permanent_replication_slots}, which
 *                       win in that order as in Patroni): slots kept on the primary whatever the members are,
 *                       physical ones also on replicas so that they survive a failover
 * @param ignore         {@code ignore_slots}: slots matching any rule are never created, advanced or dropped
 * @param memberSlotsTtl {@code member_slots_ttl}: how long the slot of a member whose key vanished is kept
 */
public record SlotSettings(Map<String, PermanentSlot> permanent, List<IgnoreRule> ignore, Duration memberSlotsTtl) {
    public static final Duration DEFAULT_MEMBER_SLOTS_TTL = Duration.ofMinutes(30);
    public static final SlotSettings NONE = new SlotSettings(Map.of(), List.of(), DEFAULT_MEMBER_SLOTS_TTL);
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*(ms|s|min|h|d)?\\s*");
    /** Told for each logical entry when the dynamic parameters do not set wal_level to logical. */
    static final String LOGICAL_NEEDS_WAL_LEVEL = "a logical slot needs wal_level: logical in the dynamic"
            + " configuration's postgresql.parameters: without it the primary cannot create the slot, and replicas"
            + " cannot load their copies of it, so it would not survive a failover";

    public SlotSettings {
        permanent = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(permanent));
        ignore = List.copyOf(ignore);
    }

    /**
     * A permanent slot.
     *
     * @param logical  {@code type: logical} (else physical)
     * @param database logical only: the database it decodes
     * @param plugin   logical only: the output plugin
     */
    public record PermanentSlot(String name, boolean logical, String database, String plugin) {
    }

    /** One {@code ignore_slots} entry; a {@code null} field matches anything (Patroni's rule). */
    public record IgnoreRule(String name, String type, String database, String plugin) {
        /** Whether a slot with these attributes is ignored by this rule; {@code type} is physical or logical. */
        public boolean matches(String slotName, String slotType, String slotDatabase, String slotPlugin) {
            return (name == null || name.equals(slotName)) && (type == null || type.equals(slotType))
                    && (database == null || database.equals(slotDatabase))
                    && (plugin == null || plugin.equals(slotPlugin));
        }
    }

    /** Whether any {@code ignore_slots} rule matches the slot. */
    public boolean ignored(String slotName, String slotType, String slotDatabase, String slotPlugin) {
        return ignore.stream().anyMatch(r -> r.matches(slotName, slotType, slotDatabase, slotPlugin));
    }

    /** From the dynamic configuration tree; problems go to {@code dcs}'s problem list. */
    static SlotSettings parse(Section dcs) {
        String key = dcs.has("permanent_replication_slots") ? "permanent_replication_slots"
                : dcs.has("permanent_slots") ? "permanent_slots" : "slots";
        Map<String, PermanentSlot> permanent = permanent(dcs.section(key), walLevel(dcs));
        List<IgnoreRule> ignore = ignoreRules(dcs);
        Duration ttl = memberSlotsTtl(dcs);
        return new SlotSettings(permanent, ignore, ttl);
    }

    /** From a stored, already validated tree (the {@code raw} of a {@link DynamicConfig}). */
    static SlotSettings of(Map<String, Object> raw) {
        return parse(new Section(raw, "", new Problems()));
    }

    /** {@code postgresql.parameters.wal_level} of the dynamic configuration, or null. */
    private static String walLevel(Section dcs) {
        return dcs.map().get("postgresql") instanceof Map<?, ?> pg && pg.get("parameters") instanceof Map<?, ?> params
                ? Scalars.asText(params.get("wal_level")) : null;
    }

    private static Map<String, PermanentSlot> permanent(Section slots, String walLevel) {
        Map<String, PermanentSlot> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : slots.map().entrySet()) {
            String name = e.getKey();
            String path = slots.path(name);
            if (!SLOT_NAME.matcher(name).matches()) {
                slots.problems().error(path, "invalid replication slot name: expected [a-z0-9_]{1,63}");
                continue;
            }
            if (e.getValue() == null) {
                out.put(name, new PermanentSlot(name, false, null, null));
                continue;
            }
            Section slot = slots.section(name);
            if (!(e.getValue() instanceof Map<?, ?>)) {
                continue; // section() reported it
            }
            slot.checkKeys(Set.of("type", "database", "plugin", "cluster_type"), Set.of());
            String type = slot.string("type", "physical");
            String clusterType = slot.string("cluster_type");
            if (clusterType != null && !Set.of("primary", "standby").contains(clusterType)) {
                slots.problems().error(slot.path("cluster_type"), "expected primary or standby, got " + clusterType);
            }
            if ("standby".equals(clusterType)) {
                continue; // for a standby cluster only, which Bulwark does not run
            }
            if ("physical".equals(type)) {
                out.put(name, new PermanentSlot(name, false, null, null));
            } else if ("logical".equals(type)) {
                String database = slot.requiredString("database");
                String plugin = slot.requiredString("plugin");
                if (database != null && plugin != null) {
                    out.put(name, new PermanentSlot(name, true, database, plugin));
                    if (!"logical".equals(walLevel)) {
                        slots.problems().warning(path, LOGICAL_NEEDS_WAL_LEVEL);
                    }
                }
            } else {
                slots.problems().error(slot.path("type"), "expected physical or logical, got " + type);
            }
        }
        return out;
    }

    private static List<IgnoreRule> ignoreRules(Section dcs) {
        Object value = dcs.value("ignore_slots");
        List<IgnoreRule> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof List<?> list)) {
            dcs.problems().error(dcs.path("ignore_slots"), "must be a list of {name, type, database, plugin}"
                    + " mappings, got " + Scalars.describe(value));
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            String path = dcs.path("ignore_slots") + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                dcs.problems().error(path, "must be a mapping with name, type, database or plugin, got "
                        + Scalars.describe(list.get(i)));
                continue;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), v));
            Section rule = new Section(copy, path, dcs.problems());
            rule.checkKeys(Set.of("name", "type", "database", "plugin"), Set.of());
            String type = rule.string("type");
            if (type != null && !Set.of("physical", "logical").contains(type)) {
                dcs.problems().error(rule.path("type"), "expected physical or logical, got " + type);
                continue;
            }
            out.add(new IgnoreRule(rule.string("name"), type, rule.string("database"), rule.string("plugin")));
        }
        return out;
    }

    /** Seconds as a number, or a string with Patroni's units (ms, s, min, h, d; none means seconds). */
    private static Duration memberSlotsTtl(Section dcs) {
        Object value = dcs.value("member_slots_ttl");
        if (value == null) {
            return DEFAULT_MEMBER_SLOTS_TTL;
        }
        Long seconds = Scalars.asLong(value);
        if (seconds != null && seconds >= 0) {
            return Duration.ofSeconds(seconds);
        }
        Matcher m = value instanceof String s ? DURATION.matcher(s.toLowerCase(Locale.ROOT)) : null;
        if (m == null || !m.matches()) {
            dcs.problems().error(dcs.path("member_slots_ttl"), "expected a non-negative number of seconds or a"
                    + " duration such as 30min, got " + Scalars.describe(value));
            return DEFAULT_MEMBER_SLOTS_TTL;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
