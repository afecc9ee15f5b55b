package io.nativesidecar.admission.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BodyBudgetTest {

    private final List<String> admitted = new ArrayList<>();
    private final BodyBudget budget = new BodyBudget(100);

    private Runnable admits(String name) {
        return () -> admitted.add(name);
    }

    @Test
    void bodiesThatFitAreAdmittedAtOnce() {
        assertThat(budget.admit(60, admits("a"))).isTrue();
        assertThat(budget.admit(40, admits("b"))).isTrue();
        assertThat(budget.held()).isEqualTo(100);
        assertThat(admitted).isEmpty();
    }

    @Test
    void aBodyThatDoesNotFitWaitsUntilEnoughIsReleased() {
        budget.admit(60, admits("a"));
        budget.admit(30, admits("b"));
        assertThat(budget.admit(50, admits("c"))).isFalse();

        budget.release(30);
        assertThat(admitted).as("60 + 50 is still over 100").isEmpty();
        budget.release(60);
        assertThat(admitted).containsExactly("c");
        assertThat(budget.held()).isEqualTo(50);
    }

    @Test
    void aBodyLargerThanTheBudgetIsAdmittedAlone() {
        assertThat(budget.admit(500, admits("large"))).isTrue();
        assertThat(budget.admit(1, admits("small"))).isFalse();
        budget.release(500);
        assertThat(admitted).containsExactly("small");

        assertThat(budget.admit(500, admits("large again"))).isFalse();
        budget.release(1);
        assertThat(admitted).containsExactly("small", "large again");
    }

    @Test
    void waitingBodiesAreAdmittedInTheirOrderAndALaterSmallOneDoesNotOvertake() {
        budget.admit(90, admits("a"));
        assertThat(budget.admit(80, admits("b"))).isFalse();
        assertThat(budget.admit(5, admits("c"))).as("fits, but b came first").isFalse();

        budget.release(90);
        assertThat(admitted).containsExactly("b", "c");
        assertThat(budget.held()).isEqualTo(85);
    }

    @Test
    void aWithdrawnBodyLetsThoseBehindItIn() {
        budget.admit(90, admits("a"));
        Runnable b = admits("b");
        budget.admit(80, b);
        budget.admit(10, admits("c"));

        assertThat(budget.withdraw(b)).isTrue();
        assertThat(admitted).containsExactly("c");
        budget.release(100);
        assertThat(admitted).as("b left the queue").containsExactly("c");
        assertThat(budget.held()).isZero();
    }

    @Test
    void withdrawingAnAdmittedBodyTellsTheCallerItsBytesAreHeld() {
        budget.admit(90, admits("a"));
        Runnable b = admits("b");
        budget.admit(80, b);
        budget.release(90);

        assertThat(budget.withdraw(b)).isFalse();
        assertThat(budget.held()).isEqualTo(80);
    }

    @Test
    void bodiesOfUnknownLengthGrowWithoutWaitingButHoldOthersBack() {
        assertThat(budget.admit(0, admits("chunked"))).isTrue();
        budget.grow(70);
        budget.grow(70);
        assertThat(budget.admit(10, admits("next"))).isFalse();
        budget.release(140);
        assertThat(admitted).containsExactly("next");
    }

    @Test
    void anAdmissionThatReleasesAdmitsTheNextInTurn() {
        budget.admit(100, admits("a"));
        budget.admit(100, () -> budget.release(100));
        budget.admit(100, admits("c"));
        budget.release(100);
        assertThat(admitted).containsExactly("c");
    }

    @Test
    void theBudgetMustBePositive() {
        assertThatThrownBy(() -> new BodyBudget(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
