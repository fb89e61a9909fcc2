package io.lanthorn.sink.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "1:0:0:1:0:0:0:1, 1:0:0:1::1",
    "1:0:0:1:1:0:0:1, 1::1:1:0:0:1",
    "fe80:0:0:0:0:0:0:0, fe80::",
  })
  void formatsAsRfc5952(String literal, String expected) {
    assertThat(AddressText.format(InetAddress.ofLiteral(literal))).isEqualTo(expected);
  }
}
