import java.net.InetSocketAddress;
import org.jevent.EventBase;
import org.jevent.bufferevent.BufferEvent;
import org.jevent.listener.ConnListener;

public class Echo {
    public static void main(String[] args) throws Exception {
        try (EventBase base = EventBase.create();
             ConnListener listener = ConnListener.bind(base, new InetSocketAddress(9996),
                     ConnListener.REUSEABLE, -1, (l, socket, peer) -> {
                         BufferEvent bev = BufferEvent.socket(base, socket, BufferEvent.CLOSE_ON_FREE);
                         bev.setCallbacks(
                                 b -> b.getOutput().addBuffer(b.getInput()),   // echo: moves, no copy
                                 null,
                                 (b, events, error) -> b.close());             // EOF or error
                         bev.enable(BufferEvent.READ | BufferEvent.WRITE);
                     })) {
            base.dispatch();
        }
    }
}
