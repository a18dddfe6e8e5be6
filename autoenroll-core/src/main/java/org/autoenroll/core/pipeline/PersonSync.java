package org.autoenroll.core.pipeline;

import java.time.Clock;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.Person;
import org.autoenroll.api.PersonStore;
import org.autoenroll.core.EnrollmentResult;

/**
 * Records a user caller as a person of the customer with the directory's current values (computers
 * have no person record). Raises
 * {@link ErrorCode#PERSON_SYNC_FAILED} (14) and {@link ErrorCode#PERSON_MISMATCH} (20) via the
 * store, and {@link ErrorCode#NO_SYNCHRONIZED_PERSON} (28) should the store return none.
 */
final class PersonSync implements EnrollmentStep {
    private final PersonStore persons;
    private final Clock clock;

    PersonSync(PersonStore persons, Clock clock) {
        this.persons = persons;
        this.clock = clock;
    }

    @Override
    public EnrollmentResult intercept(Chain chain) throws EnrollmentException {
        EnrollmentContext context = chain.context();
        if (context.entry().type() == org.autoenroll.api.SubjectType.COMPUTER) {
            return chain.proceed(); // persons are people: a computer account has no person record
        }
        Person person = persons.sync(new Person(context.customer().uri(), context.caller().principal(), context.email(),
                context.commonName(),
                clock.instant()));
        if (person == null) {
            throw new EnrollmentException(ErrorCode.NO_SYNCHRONIZED_PERSON, "the person store returned no person after sync");
        }
        context.person(person);
        return chain.proceed();
    }
}
