package io.lanthorn.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "2001:DB8:0:0:0:0:0:7, 2001:db8::7",
    "fe80:0:0:0:0:0:1:2, fe80::1:2",
    "1:0:0:0:0:0:0:0, 1::",
    // A single zero group is not shortened.
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    // The longest run wins; on a tie, the first.
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:0:0:1:0:0:1:1, 2001::1:0:0:1:1",
    // Leading zeros go.
    "2001:0db8:00ab:0c00:0000:0000:0000:0001, 2001:db8:ab:c00::1",
    // Java turns IPv4-mapped addresses into IPv4 ones, as the probe reports them.
    "::ffff:10.1.2.3, 10.1.2.3"
  })
  void writesCanonicalText(String literal, String expected) {
    assertThat(AddressText.of(InetAddress.ofLiteral(literal))).isEqualTo(expected);
  }
}
