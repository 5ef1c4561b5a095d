package io.jgun.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FieldCodec}: format 1, exact bytes and round trips. */
class FieldCodecTest {

  @Test
  void encodesFormatOneExactly() {
    assertThat(FieldCodec.encode(new Field(Value.bool(true), 1.0)))
        .containsExactly(0x12, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0);
    assertThat(FieldCodec.encode(new Field(Value.text("hi"), 0.0)))
        .containsExactly(0x14, 0, 0, 0, 0, 0, 0, 0, 0, 'h', 'i');
    assertThat(FieldCodec.encode(new Field(Value.NULL, 0.0))).hasSize(9).startsWith(0x10);
    assertThat(FieldCodec.encode(new Field(Value.number(2), 0.0))).hasSize(17).startsWith(0x13);
    assertThat(FieldCodec.encode(new Field(Value.link("x"), 0.0))).containsExactly(0x15, 0, 0, 0, 0, 0, 0, 0, 0, 'x');
  }

  @Test
  void roundTrips() {
    List<Value> values = List.of(Value.text(""), Value.text("\uD800\u0000\uFFFF\uD83D\uDE00"), Value.number(-0.0),
        Value.number(5e-324), Value.number(-1e21), Value.bool(false), Value.bool(true), Value.NULL, Value.link("a/b"));
    double[] states = {0, 1795520969763.0, 1795520969763.001, -5.5, 1e300};
    for (Value v : values) {
      for (double s : states) {
        Field f = new Field(v, s);
        Field back = FieldCodec.decode(FieldCodec.encode(f));
        assertThat(back).isEqualTo(f);
        assertThat(back.value().json()).isEqualTo(v.json());
      }
    }
    Value.Number z = (Value.Number) FieldCodec.decode(FieldCodec.encode(new Field(Value.number(-0.0), 0))).value();
    assertThat(Double.doubleToRawLongBits(z.value())).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> FieldCodec.decode(new byte[3])).hasMessageContaining("shorter than its header");
    byte[] v2 = FieldCodec.encode(new Field(Value.NULL, 0));
    v2[0] = 0x20;
    assertThatThrownBy(() -> FieldCodec.decode(v2)).hasMessageContaining("format version 2");
    byte[] tag = FieldCodec.encode(new Field(Value.NULL, 0));
    tag[0] = 0x1A;
    assertThatThrownBy(() -> FieldCodec.decode(tag)).hasMessageContaining("unknown type tag 10");
    byte[] longNull = new byte[10];
    longNull[0] = 0x10;
    assertThatThrownBy(() -> FieldCodec.decode(longNull)).hasMessageContaining("expected 9");
    byte[] nan = FieldCodec.encode(new Field(Value.NULL, 0));
    nan[1] = 0x7F;
    nan[2] = (byte) 0xF8;
    assertThatThrownBy(() -> FieldCodec.decode(nan)).isInstanceOf(IllegalArgumentException.class);
  }
}
