package io.bulwark.ctl;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Scalars are quoted exactly when PyYAML's safe_dump would quote them. */
class YamlTextTest {
    @Test
    void plainUnlessPyYamlWouldReadAnotherTypeOrSeeAnIndicator() {
        assertThat(YamlText.scalar("0/40004E8", false)).isEqualTo("0/40004E8");
        assertThat(YamlText.scalar("127.0.0.1:5432", false)).isEqualTo("127.0.0.1:5432");
        assertThat(YamlText.scalar("127.0.0.1:5432", true)).isEqualTo("'127.0.0.1:5432'");
        assertThat(YamlText.scalar("2023-09-11T22:11:27.125527+00:00", false))
                .isEqualTo("'2023-09-11T22:11:27.125527+00:00'");
        assertThat(YamlText.scalar("", false)).isEqualTo("''");
        assertThat(YamlText.scalar("on", false)).isEqualTo("'on'");
        assertThat(YamlText.scalar("null", false)).isEqualTo("'null'");
        assertThat(YamlText.scalar("123", false)).isEqualTo("'123'");
        assertThat(YamlText.scalar("1.5", false)).isEqualTo("'1.5'");
        assertThat(YamlText.scalar("- x", false)).isEqualTo("'- x'");
        assertThat(YamlText.scalar("a: b", false)).isEqualTo("'a: b'");
        assertThat(YamlText.scalar("it's", false)).isEqualTo("it's");
        assertThat(YamlText.scalar("*star", false)).isEqualTo("'*star'");
        assertThat(YamlText.scalar("a\nb", false)).isEqualTo("\"a\\nb\"");
    }

    @Test
    void blockAndFlowLayoutMatchSafeDump() {
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("zone", "a");
        tags.put("nofailover", true);
        assertThat(YamlText.block(tags)).isEqualTo("nofailover: true\nzone: a\n");
        assertThat(YamlText.flow(tags)).isEqualTo("{nofailover: true, zone: a}");
        assertThat(YamlText.block(List.of(Map.of("a", List.of(1, 2), "b", Map.of("c", "d")))))
                .isEqualTo("- a:\n  - 1\n  - 2\n  b:\n    c: d\n");
        assertThat(YamlText.block(List.of())).isEqualTo("[]\n");
    }
}
