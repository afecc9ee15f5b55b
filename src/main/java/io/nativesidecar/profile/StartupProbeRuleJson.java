package io.nativesidecar.profile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.fabric8.kubernetes.api.model.Probe;

import java.io.IOException;

/** {@link StartupProbeRule} in a configuration file: {@code none}, {@code fromReadiness}, {@code sameAsReadiness} or a Probe. */
final class StartupProbeRuleJson {

    private StartupProbeRuleJson() {
    }

    static final class Reader extends JsonDeserializer<StartupProbeRule> {
        @Override
        public StartupProbeRule deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return switch (parser.getText()) {
                    case "none" -> StartupProbeRule.NONE;
                    case "fromReadiness" -> StartupProbeRule.FROM_READINESS;
                    case "sameAsReadiness" -> StartupProbeRule.SAME_AS_READINESS;
                    default -> throw context.weirdStringException(parser.getText(), StartupProbeRule.class,
                            "want none, fromReadiness, sameAsReadiness or a Probe");
                };
            }
            if (parser.currentToken() == JsonToken.START_OBJECT) {
                return new StartupProbeRule.Given(context.readValue(parser, Probe.class));
            }
            return (StartupProbeRule) context.handleUnexpectedToken(StartupProbeRule.class, parser);
        }
    }

    static final class Writer extends JsonSerializer<StartupProbeRule> {
        @Override
        public void serialize(StartupProbeRule rule, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (rule instanceof StartupProbeRule.Given given) {
                provider.defaultSerializeValue(given.probe(), generator);
            } else {
                generator.writeString(rule.toString());
            }
        }
    }
}
